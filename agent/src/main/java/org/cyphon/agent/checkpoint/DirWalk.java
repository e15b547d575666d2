package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walks a checkpoint directory into {@link ArchiveEntries}, never following a link.
 *
 * <p>Every step is relative to an open directory handle ({@link SecureDirectoryStream},
 * {@code O_NOFOLLOW}), so a symbolic link, however planted, is never followed; only directories
 * and regular files owned by the directory's own owner are taken (a hard link to someone else's
 * file is left out), and so are files the walker may not read; everything else is skipped. The
 * agent runs it as the job's own account ({@link ArchiveAsJob}), so whatever the job planted, the
 * walk reads no more than the job itself could. Entries come sorted by name, so the same
 * directory always makes the same archive. JDK only (see {@link ArchiveEntries}).
 */
final class DirWalk {
    static final int MAX_ENTRIES = 100_000;
    static final int MAX_DEPTH = 128;

    private final ArchiveEntries out;
    private final UserPrincipal owner;
    private final Path shownAs;
    private int entries;

    private DirWalk(ArchiveEntries out, UserPrincipal owner, Path shownAs) {
        this.out = out;
        this.owner = owner;
        this.shownAs = shownAs;
    }

    /**
     * Requires that no component of {@code dir}'s parent path can be replaced by the job (true of
     * {@code state_dir/work/ID}): {@code dir} itself is opened without following a link.
     *
     * @throws IOException when {@code dir} is not a directory (a symbolic link counts as not one),
     *     nests deeper than {@value #MAX_DEPTH} or holds more than {@value #MAX_ENTRIES} entries
     */
    static void walk(Path dir, ArchiveEntries out) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        try (DirectoryStream<Path> parentStream = Files.newDirectoryStream(abs.getParent())) {
            if (!(parentStream instanceof SecureDirectoryStream<Path> parent)) {
                throw new IOException(
                        "cannot pack " + abs + ": this platform cannot walk a directory without following links");
            }
            UserPrincipal owner = parent.getFileAttributeView(
                            abs.getFileName(), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes()
                    .owner();
            try (SecureDirectoryStream<Path> top =
                    parent.newDirectoryStream(abs.getFileName(), LinkOption.NOFOLLOW_LINKS)) {
                new DirWalk(out, owner, abs).walk(top, "", 0);
            }
        }
    }

    private void walk(SecureDirectoryStream<Path> dir, String prefix, int depth) throws IOException {
        if (depth > MAX_DEPTH)
            throw new IOException("cannot pack " + shownAs + ": directories nested deeper than " + MAX_DEPTH);
        List<Path> names = new ArrayList<>();
        for (Path p : dir) names.add(p.getFileName());
        names.sort(null);
        for (Path name : names) {
            if (++entries > MAX_ENTRIES)
                throw new IOException("cannot pack " + shownAs + ": more than " + MAX_ENTRIES + " entries");
            PosixFileAttributes a;
            try {
                a = dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (NoSuchFileException gone) {
                continue;
            }
            String rel = prefix + name;
            if (a.isSymbolicLink()) {
                out.skipped(rel, "a symbolic link");
            } else if (!(a.isDirectory() || a.isRegularFile())) {
                out.skipped(rel, "not a file or directory");
            } else if (!a.owner().equals(owner)) {
                out.skipped(rel, "owned by " + a.owner().getName() + ", not by the directory's owner");
            } else if (a.isDirectory()) {
                SecureDirectoryStream<Path> sub;
                try {
                    sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                } catch (AccessDeniedException e) {
                    out.skipped(rel + "/", "not readable");
                    continue;
                }
                try (sub) {
                    out.directory(
                            rel + "/",
                            bits(a.permissions()),
                            a.lastModifiedTime().toMillis());
                    walk(sub, rel + "/", depth + 1);
                }
            } else {
                SeekableByteChannel ch;
                try {
                    ch = dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                } catch (AccessDeniedException e) {
                    out.skipped(rel, "not readable");
                    continue;
                }
                try (ch) {
                    out.file(
                            rel,
                            bits(a.permissions()),
                            a.lastModifiedTime().toMillis(),
                            a.size(),
                            new Exactly(ch, a.size(), rel));
                }
            }
        }
    }

    /** The permissions in the order of their bits, 0400 first. */
    static final PosixFilePermission[] BIT_ORDER = {
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE
    };

    /** The permission bits as a number (rwxr-x--- is 0750). */
    static int bits(Set<PosixFilePermission> perms) {
        int bits = 0;
        for (int i = 0; i < BIT_ORDER.length; i++) if (perms.contains(BIT_ORDER[i])) bits |= 0400 >> i;
        return bits;
    }

    /** A file's first {@code size} bytes; one that shrinks while read fails rather than make a torn checkpoint. */
    private final class Exactly extends InputStream {
        private final SeekableByteChannel ch;
        private final String rel;
        private long left;

        Exactly(SeekableByteChannel ch, long size, String rel) {
            this.ch = ch;
            this.left = size;
            this.rel = rel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return -1;
            int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)));
            if (n < 0)
                throw new IOException(
                        "cannot pack " + shownAs + ": " + rel + " shrank while being read (is the job still writing?)");
            left -= n;
            return n;
        }
    }
}
