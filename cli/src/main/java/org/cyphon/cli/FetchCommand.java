package org.cyphon.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cyphon.cli.client.CoordinatorUnreachable;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.core.job.WorkDirNames;
import org.cyphon.core.protocol.JobOutputs;
import org.cyphon.core.text.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cyphon fetch ID [--to DIR]}: downloads a job's output files into DIR (the current directory
 * by default) under their names in the job's working directory. Each file streams into a hidden
 * part file beside its destination, continues after a cut connection where it stopped, is checked
 * against its SHA-256 and only then takes its name; a file already there with the same content is
 * left alone. Prints each file written, one per line; a summary on stderr.
 */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = {
            "Download a job's output files (its --output patterns) into a directory.",
            "Prints each file written; only the job's owner and admins may fetch."
        })
public final class FetchCommand extends ApiCommand {
    /** Tries per file when the connection is cut, each continuing where the last stopped. */
    static final int TRIES = 8;

    @Parameters(paramLabel = "ID", description = "The job id.")
    long id;

    @Option(
            names = "--to",
            paramLabel = "DIR",
            description = "Where to put the files (default: the current directory).")
    Path to;

    @Option(names = "--list", description = "Only list the files (NAME SIZE ATTEMPT), download nothing.")
    boolean list;

    @Override
    protected int run(CyphonClient client) {
        JobOutputs outs = client.outputs(id);
        if (outs.expired() != null) {
            note("cyphon: job " + id + ": " + outs.expired());
            return 1;
        }
        if (outs.refused() != null) note("note: job " + id + ": some outputs were not stored: " + outs.refused());
        if (list) {
            StringBuilder b = new StringBuilder();
            for (JobOutputs.File f : outs.files())
                b.append(f.name())
                        .append(' ')
                        .append(f.size())
                        .append(' ')
                        .append(f.attempt())
                        .append('\n');
            print(b.toString());
            return 0;
        }
        Path dir = (to == null ? Path.of("") : to).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidInput("--to " + dir + ": cannot create it: " + e.getMessage());
        }
        long bytes = 0;
        int fetched = 0;
        int kept = 0;
        for (JobOutputs.File f : outs.files()) {
            Path dest = destination(dir, f.name());
            if (Files.isRegularFile(dest) && sameContent(dest, f)) {
                kept++;
                continue;
            }
            bytes += fetch(client, f, dest);
            fetched++;
            print(dest + "\n");
        }
        note("job " + id + ": " + fetched + " file(s) fetched (" + Sizes.format(bytes) + ")"
                + (kept > 0 ? ", " + kept + " already there" : "") + " into " + dir
                + (outs.files().isEmpty() ? "; the job has no stored outputs (yet)" : ""));
        return 0;
    }

    /** Where a file goes: its name under DIR, never outside (the name is checked again here). */
    static Path destination(Path dir, String name) {
        String problem = WorkDirNames.problem(name);
        Path dest = dir.resolve(name).normalize();
        if (problem != null || !dest.startsWith(dir) || dest.equals(dir))
            throw new InvalidInput("the coordinator listed an output named '" + name + "', which is not a name"
                    + " inside a directory" + (problem == null ? "" : ": " + problem) + "; nothing of it written");
        return dest;
    }

    private long fetch(CyphonClient client, JobOutputs.File f, Path dest) {
        Path part = dest.resolveSibling("." + dest.getFileName() + ".cyphon-part");
        try {
            Files.createDirectories(dest.getParent());
            if (Files.isDirectory(dest))
                throw new InvalidInput(dest + " is a directory; the job's " + f.name() + " is a file");
            CoordinatorUnreachable last = null;
            for (int attempt = 0; attempt < TRIES; attempt++) {
                if (attempt > 0) pause(attempt);
                try {
                    client.downloadOutput(id, f.sha256(), f.size(), part);
                    last = null;
                    break;
                } catch (CoordinatorUnreachable cut) {
                    last = cut; // what arrived stays in the part: the next try continues from there
                }
            }
            if (last != null) throw last;
            String actual = sha256(part);
            if (!actual.equals(f.sha256())) {
                Files.deleteIfExists(part);
                throw new CoordinatorUnreachable(
                        f.name() + ": the bytes received have SHA-256 " + actual + ", not " + f.sha256()
                                + "; nothing kept (fetch again)",
                        null);
            }
            Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return f.size();
        } catch (IOException e) {
            throw new InvalidInput(dest + ": cannot write: " + e.getMessage());
        }
    }

    private static boolean sameContent(Path p, JobOutputs.File f) {
        try {
            return Files.size(p) == f.size() && sha256(p).equals(f.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    private static String sha256(Path p) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[256 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(8000, 250L << attempt)); // backing off between tries, not waiting for a state
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnreachable("interrupted", e);
        }
    }
}
