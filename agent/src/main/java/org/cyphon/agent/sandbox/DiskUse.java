package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * How many bytes a job's working directory holds: the sum of its regular files' sizes, walked
 * without following symbolic links (a link to a big file elsewhere costs the job nothing).
 */
final class DiskUse {
    private final Path dir;

    DiskUse(Path dir) {
        this.dir = dir;
    }

    /** The total; files that vanish while we walk count as nothing, an unreadable tree as 0. */
    long bytes() {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return total[0];
        }
        return total[0];
    }
}
