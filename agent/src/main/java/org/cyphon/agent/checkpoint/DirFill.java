package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes {@link ArchiveEntries} into an empty checkpoint directory: directories and new regular
 * files only ({@code O_CREAT|O_EXCL}, no link followed at the last step), each name checked by
 * {@link EntryNames} before anything is written for it; permissions kept without set-user-ID,
 * set-group-ID and sticky bits. The agent runs it as the job's own account ({@link ArchiveAsJob}),
 * so even a name that got past every check could write nowhere the job could not. JDK only (see
 * {@link ArchiveEntries}).
 */
final class DirFill implements ArchiveEntries {
    private final Path root;
    private int files;

    /** @throws IOException when {@code dir} is not a directory (a symbolic link counts as not one) */
    DirFill(Path dir) throws IOException {
        this.root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) throw new IOException(root + " is not a directory");
    }

    /** The regular files written so far. */
    int files() {
        return files;
    }

    @Override
    public void directory(String path, int mode, long modifiedMillis) throws IOException {
        Path target = EntryNames.inside(root, path);
        if (target.equals(root)) return;
        Files.createDirectories(target);
        Files.setPosixFilePermissions(target, permissions((mode & 0777) | 0700));
    }

    @Override
    public void file(String path, int mode, long modifiedMillis, long size, InputStream content) throws IOException {
        Path target = EntryNames.inside(root, path);
        if (target.equals(root))
            throw new UnsafeArchiveException("entry '" + path + "' would replace the checkpoint directory");
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(
                target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long copied = content.transferTo(out);
            if (copied != size)
                throw new IOException("entry '" + path + "' ended after " + copied + " of " + size + " bytes");
        }
        Files.setPosixFilePermissions(target, permissions((mode & 0777) | 0600));
        Files.setLastModifiedTime(target, FileTime.fromMillis(modifiedMillis));
        files++;
    }

    @Override
    public void skipped(String path, String why) {
        // an archive says nothing of what was left out of it
    }

    static Set<PosixFilePermission> permissions(int bits) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < DirWalk.BIT_ORDER.length; i++) if ((bits & (0400 >> i)) != 0) out.add(DirWalk.BIT_ORDER[i]);
        return out;
    }
}
