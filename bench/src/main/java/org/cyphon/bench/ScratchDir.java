package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A fresh directory for one run: the coordinator's database, agents' state, every log.
 *
 * <p>Mode 0755, because when the agent runs as root its jobs run as {@code nobody}, and every
 * directory above a job's working directory must be traversable by that user. Kept after a
 * failure (the logs are the diagnosis) or with {@code --keep}; deleted otherwise.
 */
final class ScratchDir implements AutoCloseable {
    private final Path path;
    private boolean keep;

    private ScratchDir(Path path, boolean keep) {
        this.path = path;
        this.keep = keep;
    }

    static ScratchDir create(String benchmark, boolean keep) throws IOException {
        Path p = Files.createTempDirectory("cyphon-bench-" + benchmark + "-");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new ScratchDir(p, keep);
    }

    Path path() {
        return path;
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    /** Keep the directory: the run failed and its logs explain why. */
    void keep() {
        keep = true;
    }

    boolean kept() {
        return keep;
    }

    @Override
    public void close() throws IOException {
        if (keep) return;
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
