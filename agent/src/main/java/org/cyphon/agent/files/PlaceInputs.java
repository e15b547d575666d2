package org.cyphon.agent.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.cyphon.core.job.WorkDirNames;
import org.cyphon.core.machine.SharedPaths;
import org.cyphon.core.protocol.JobFiles;

/**
 * Puts a job's input files into its new working directory before it starts (the sandbox then hands
 * the whole directory to the job's account): uploads through the desk's {@link InputCache}, checked
 * by their hash as they are copied; files on shared storage as symbolic links to where they are.
 * Names are checked again here, whatever the coordinator let through: nothing is written outside
 * the working directory.
 */
public final class PlaceInputs {
    private final InputCache cache;

    public PlaceInputs(InputCache cache) {
        this.cache = cache;
    }

    /** One file to put in place: an input, or an output an earlier attempt left (same shape). */
    public record File(String name, String sha256, long size, boolean executable, String link) {
        public static File of(JobFiles.Input in) {
            return new File(in.name(), in.sha256(), in.size(), in.executable(), in.link());
        }
    }

    /**
     * @param needsPaths the shared paths the job needs: every link must point inside one
     * @return bytes copied into the working directory
     * @throws IOException naming the file that could not be put in place, and why
     */
    public long place(List<File> files, List<String> needsPaths, Path workDir, InputCache.Fetch fetch)
            throws Exception {
        long bytes = 0;
        for (File f : files) {
            Path dest = destination(workDir, f.name());
            Files.createDirectories(dest.getParent());
            Files.deleteIfExists(dest); // an output restored over an input of the same name
            if (f.link() != null) {
                if (needsPaths.stream().noneMatch(root -> SharedPaths.under(f.link(), root)))
                    throw new IOException(
                            "input " + f.name() + ": " + f.link() + " is not on a shared path the job needs");
                Files.createSymbolicLink(dest, Path.of(f.link()));
                continue;
            }
            try {
                cache.copyTo(f.sha256(), f.size(), dest, fetch);
            } catch (IOException | RuntimeException e) {
                throw new IOException("input " + f.name() + ": " + e.getMessage(), e);
            }
            Files.setPosixFilePermissions(
                    dest, PosixFilePermissions.fromString(f.executable() ? "rwxr-xr-x" : "rw-r--r--"));
            bytes += f.size();
        }
        cache.evict();
        return bytes;
    }

    /** Where {@code name} goes in {@code workDir}; never outside it. */
    static Path destination(Path workDir, String name) throws IOException {
        String problem = WorkDirNames.problem(name);
        if (problem != null) throw new IOException("input " + name + ": " + problem);
        Path dest = workDir.resolve(name).normalize();
        if (!dest.startsWith(workDir) || dest.equals(workDir))
            throw new IOException("input " + name + " is outside the working directory");
        return dest;
    }
}
