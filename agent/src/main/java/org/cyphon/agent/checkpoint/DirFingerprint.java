package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What a checkpoint directory looks like, without reading any file: each entry's path, kind, size
 * and modification time. Two equal fingerprints mean "nothing was written in between" (for
 * files written through the file system, which is how jobs write). Used to tell when a job has
 * written a checkpoint, when it has finished writing it, and whether there is anything new to store.
 *
 * <p>Symbolic links are listed but never followed; at most {@link CheckpointArchive#MAX_ENTRIES}
 * entries are looked at.
 */
public record DirFingerprint(List<Entry> entries) {
    /** One entry; {@code mtimeNanos} since the epoch. */
    public record Entry(String path, char kind, long size, long mtimeNanos) {}

    public DirFingerprint {
        entries = List.copyOf(entries);
    }

    /** True when the directory holds at least one regular file: something worth storing. */
    public boolean hasFiles() {
        return entries.stream().anyMatch(e -> e.kind() == 'f');
    }

    /** The directory as it is now; empty if it does not exist. */
    public static DirFingerprint of(Path dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return new DirFingerprint(out);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                if (!d.equals(dir)) add(d, a);
                return out.size() >= CheckpointArchive.MAX_ENTRIES
                        ? FileVisitResult.TERMINATE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                add(f, a);
                return out.size() >= CheckpointArchive.MAX_ENTRIES
                        ? FileVisitResult.TERMINATE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException)
                    return FileVisitResult.CONTINUE; // deleted while we looked: the next look sees it gone
                throw e;
            }

            private void add(Path p, BasicFileAttributes a) {
                char kind = a.isDirectory() ? 'd' : a.isRegularFile() ? 'f' : a.isSymbolicLink() ? 'l' : 'o';
                long mtime = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
                out.add(new Entry(dir.relativize(p).toString(), kind, a.size(), mtime));
            }
        });
        out.sort((x, y) -> x.path().compareTo(y.path()));
        return new DirFingerprint(out);
    }
}
