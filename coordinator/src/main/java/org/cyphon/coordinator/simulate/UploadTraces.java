package org.cyphon.coordinator.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.sim.InputError;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.SwfReader;
import org.cyphon.sim.owners.CpuSeries;
import org.cyphon.sim.owners.PlanetLabReader;

/**
 * A trace uploaded from the Simulate page ({@code PUT /api/v1/simulate/traces/{name}}, admins): an
 * SWF job trace ({@code .swf}, {@code .swf.gz}) or a PlanetLab CPU series ({@code .csv},
 * {@code .csv.gz}), read in full by the simulator's own readers before it is kept. It is written to a
 * directory of its own under {@code DATA/traces/.uploading} first and appears in {@code DATA/traces}
 * under its name only once it reads, in one step (a hard link, which also refuses a name taken
 * meanwhile); a refused or cut-off upload leaves nothing behind.
 */
public final class UploadTraces {
    /** The largest trace accepted: KTH's whole SP2 log is 1.1 MB gzipped, HPC2N's 202,876 jobs 5 MB. */
    public static final long MAX_BYTES = 64L << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** A trace kept: its name, {@code swf} or {@code cpu}, its size, and its jobs or hosts. */
    public record Uploaded(String name, String kind, long bytes, long entries, String summary) {}

    private final Path traces;

    /** @param traces the directory of trace files ({@code DATA/traces}; made when needed) */
    public UploadTraces(Path traces) {
        this.traces = traces;
    }

    /**
     * Checks what can be checked before the body is read: the name, that it is free, the declared size.
     *
     * @throws ApiError 400 naming a bad name, 409 when the name is taken, 413 when too large
     */
    public void admit(String name, long declaredBytes) {
        kindOf(name);
        if (Files.exists(traces.resolve(name)))
            throw new ApiError(
                    409, "a trace named '" + name + "' is already there: upload it under another name", "name");
        if (declaredBytes > MAX_BYTES) throw tooLarge();
    }

    /** Reads the body, checks it with the simulator's reader, and keeps it. @throws ApiError as {@link #admit}, and 400 naming what is wrong in the file */
    public Uploaded upload(String name, InputStream body) throws IOException {
        String kind = kindOf(name);
        Path dir = traces.resolve(".uploading").resolve(UUID.randomUUID().toString());
        Files.createDirectories(dir);
        Path part = dir.resolve(name);
        try {
            long bytes = copyAtMost(body, part);
            if (bytes == 0) throw new ApiError(400, "the file is empty", "body");
            String summary;
            long entries;
            try {
                if (kind.equals("swf")) {
                    JobTrace t = SwfReader.read(part, 1, Integer.MAX_VALUE, 0);
                    entries = t.jobs().size();
                    summary = entries + " jobs"
                            + (t.skipped() > 0
                                    ? " (" + t.skipped() + " lines skipped: no run time or processors)"
                                    : "");
                } else {
                    CpuSeries s = PlanetLabReader.read(List.of(part));
                    entries = s.byHost().size();
                    summary = entries + " hosts, " + s.slots() + " five-minute samples each";
                }
            } catch (InputError bad) {
                // Not badField: the message names the file, and "body: " before it would say less.
                throw new ApiError(
                        400, name + " is not a " + describe(kind) + ": " + clean(bad.getMessage(), part, name), "body");
            }
            try {
                Files.createLink(traces.resolve(name), part);
            } catch (FileAlreadyExistsException e) {
                throw new ApiError(
                        409, "a trace named '" + name + "' is already there: upload it under another name", "name");
            }
            return new Uploaded(name, kind, bytes, entries, summary);
        } finally {
            removeAll(dir);
        }
    }

    private static String describe(String kind) {
        return kind.equals("swf")
                ? "readable SWF job trace"
                : "readable PlanetLab CPU series (host,t0,t1,... in percent)";
    }

    /** The reader names the file by its path here; the user knows it by its name. */
    private static String clean(String message, Path part, String name) {
        String m = message == null ? "unreadable" : message.replace(part.toString(), name);
        if (m.startsWith(name + ":")) m = m.substring(name.length() + 1).trim();
        if (m.startsWith("line") || Character.isDigit(m.isEmpty() ? ' ' : m.charAt(0))) return "line " + m;
        return m;
    }

    /** {@code swf} or {@code cpu}; @throws ApiError 400 naming the field when the name is not a trace's */
    static String kindOf(String name) {
        if (name == null || !NAME.matcher(name).matches())
            throw ApiError.badField(
                    "name",
                    "a trace's name is 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (name.endsWith(".swf") || name.endsWith(".swf.gz")) return "swf";
        if (name.endsWith(".csv") || name.endsWith(".csv.gz")) return "cpu";
        throw ApiError.badField(
                "name",
                "'" + name + "' must end in .swf or .swf.gz (a job trace) or .csv or .csv.gz (a PlanetLab CPU series)");
    }

    private static long copyAtMost(InputStream in, Path to) throws IOException {
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(to)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (total > MAX_BYTES) throw tooLarge();
                out.write(buf, 0, n);
            }
        }
        return total;
    }

    private static ApiError tooLarge() {
        return new ApiError(
                413, "a trace is at most " + (MAX_BYTES >> 20) + " MiB (compress it: .swf.gz, .csv.gz)", "body");
    }

    private static void removeAll(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
