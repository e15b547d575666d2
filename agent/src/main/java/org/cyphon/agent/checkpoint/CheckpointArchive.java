package org.cyphon.agent.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.cyphon.core.text.Sizes;

/**
 * A checkpoint directory as a tar archive (POSIX tar, uncompressed: checkpoints are often
 * compressed already, and an idle desk's CPU is the job's), and back.
 *
 * <p>The agent usually runs as root and the directory belongs to the job, so both directions are
 * written against a job that tries to make root read or write what it should not:
 * <ul>
 *   <li>{@link #pack} walks with directory handles ({@link SecureDirectoryStream}: every step is
 *       relative to an open directory, {@code O_NOFOLLOW}), so a symbolic link, however planted, is
 *       never followed; it takes only directories and regular files owned by the directory's own
 *       owner (a hard link to a file of root's is skipped), and skips everything else.
 *   <li>{@link #unpack} refuses (with {@link UnsafeArchiveException}, before writing the entry) any
 *       name that is absolute or climbs out with {@code ..}, and any entry that is not a plain file
 *       or directory: symbolic and hard links, devices, FIFOs. Permissions are kept without
 *       set-user-ID, set-group-ID and sticky bits.
 * </ul>
 * Both stop at {@code maxBytes} of file content ({@link CheckpointTooLargeException}) and at
 * {@value #MAX_ENTRIES} entries.
 */
public final class CheckpointArchive {
    public static final int MAX_ENTRIES = 100_000;
    static final int MAX_DEPTH = 128;

    private CheckpointArchive() {}

    /**
     * What {@link #pack} stored.
     *
     * @param contentBytes bytes of file content (the archive is a little larger: headers, padding)
     * @param files        regular files stored
     * @param skipped      entries left out: links, devices, FIFOs, sockets, files of other owners
     */
    public record Packed(long contentBytes, int files, int skipped) {}

    /**
     * Writes {@code dir} into a new file {@code archive}. The job should not be changing the
     * directory meanwhile (it has exited, or is frozen): a file that changes size while read fails
     * the pack rather than storing a torn checkpoint.
     *
     * <p>Requires that no component of {@code dir}'s parent path can be replaced by the job (true
     * of {@code state_dir/work/ID}): {@code dir} itself is opened without following a link.
     *
     * @throws CheckpointTooLargeException past {@code maxBytes} of content (the partial archive is deleted)
     * @throws IOException when {@code dir} is not a directory (a symbolic link counts as not one)
     */
    public static Packed pack(Path dir, Path archive, long maxBytes) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        boolean done = false;
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
                            parent.newDirectoryStream(abs.getFileName(), LinkOption.NOFOLLOW_LINKS);
                    OutputStream file =
                            Files.newOutputStream(archive, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(
                            new BufferedOutputStream(file, 64 * 1024), StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                Packer p = new Packer(tar, owner, maxBytes, abs);
                p.walk(top, "", 0);
                tar.finish();
                done = true;
                return new Packed(p.bytes, p.files, p.skipped);
            }
        } finally {
            if (!done) Files.deleteIfExists(archive);
        }
    }

    /**
     * Unpacks {@code archive} into {@code dir}, which must exist, be empty, and not be written by
     * anyone else meanwhile (the job has not started yet).
     *
     * @return the regular files written
     * @throws UnsafeArchiveException  at the first entry that escapes {@code dir} or is not a plain file or directory
     * @throws CheckpointTooLargeException past {@code maxBytes} of content
     */
    public static int unpack(Path archive, Path dir, long maxBytes) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) throw new IOException(root + " is not a directory");
        long bytes = 0;
        int entries = 0;
        int files = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 64 * 1024);
                TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (++entries > MAX_ENTRIES)
                    throw new UnsafeArchiveException("the checkpoint has more than " + MAX_ENTRIES + " entries");
                Path target = inside(root, e.getName());
                byte type = e.getLinkFlag();
                if (type == TarConstants.LF_DIR) {
                    if (target.equals(root)) continue;
                    Files.createDirectories(target);
                    permissions(target, e.getMode(), 0700);
                } else if ((type == TarConstants.LF_NORMAL
                                || type == TarConstants.LF_OLDNORM
                                || type == TarConstants.LF_CONTIG)
                        && !e.isSparse()) {
                    bytes += e.getSize();
                    if (bytes > maxBytes)
                        throw new CheckpointTooLargeException(
                                "the checkpoint holds over " + Sizes.format(maxBytes) + " (checkpoint.max_size)");
                    if (target.equals(root))
                        throw new UnsafeArchiveException(
                                "entry '" + e.getName() + "' would replace the checkpoint directory");
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(
                            target,
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS)) {
                        tar.transferTo(out);
                    }
                    permissions(target, e.getMode(), 0600);
                    Files.setLastModifiedTime(
                            target, FileTime.from(e.getModTime().toInstant()));
                    files++;
                } else {
                    throw new UnsafeArchiveException("entry '" + e.getName() + "' is " + describe(e)
                            + ": a checkpoint may hold only files and directories");
                }
            }
        }
        return files;
    }

    /** The entry's path under {@code root}, or an {@link UnsafeArchiveException} when it would be elsewhere. */
    static Path inside(Path root, String name) throws UnsafeArchiveException {
        if (name.isEmpty() || name.indexOf('\0') >= 0)
            throw new UnsafeArchiveException("an entry has an empty or invalid name");
        if (name.startsWith("/")) throw new UnsafeArchiveException("entry '" + name + "' is an absolute path");
        for (String part : name.split("/")) {
            if (part.equals(".."))
                throw new UnsafeArchiveException(
                        "entry '" + name + "' climbs out of the checkpoint directory with '..'");
        }
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root))
            throw new UnsafeArchiveException("entry '" + name + "' is outside the checkpoint directory");
        return target;
    }

    private static String describe(TarArchiveEntry e) {
        if (e.isSymbolicLink()) return "a symbolic link to '" + e.getLinkName() + "'";
        if (e.isLink()) return "a hard link to '" + e.getLinkName() + "'";
        if (e.isCharacterDevice() || e.isBlockDevice()) return "a device";
        if (e.isFIFO()) return "a FIFO";
        if (e.isSparse()) return "a sparse file";
        return "of tar type '" + (char) e.getLinkFlag() + "'";
    }

    /** The entry's permission bits, without set-id and sticky bits, and at least {@code atLeast} for the owner. */
    private static void permissions(Path p, int mode, int atLeast) throws IOException {
        Files.setPosixFilePermissions(p, fromBits((mode & 0777) | atLeast));
    }

    static Set<PosixFilePermission> fromBits(int bits) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE
        };
        for (int i = 0; i < order.length; i++) if ((bits & (0400 >> i)) != 0) out.add(order[i]);
        return out;
    }

    static int toBits(Set<PosixFilePermission> perms) {
        String s = PosixFilePermissions.toString(perms);
        int bits = 0;
        for (int i = 0; i < 9; i++) if (s.charAt(i) != '-') bits |= 0400 >> i;
        return bits;
    }

    /** One pack: the walk over directory handles, counting as it goes. */
    private static final class Packer {
        private final TarArchiveOutputStream tar;
        private final UserPrincipal owner;
        private final long maxBytes;
        private final Path shownAs;
        long bytes;
        int files;
        int skipped;
        int entries;

        Packer(TarArchiveOutputStream tar, UserPrincipal owner, long maxBytes, Path shownAs) {
            this.tar = tar;
            this.owner = owner;
            this.maxBytes = maxBytes;
            this.shownAs = shownAs;
        }

        void walk(SecureDirectoryStream<Path> dir, String prefix, int depth) throws IOException {
            if (depth > MAX_DEPTH)
                throw new IOException("cannot pack " + shownAs + ": directories nested deeper than " + MAX_DEPTH);
            List<Path> names = new ArrayList<>();
            for (Path p : dir) names.add(p.getFileName());
            names.sort(null); // the same directory always makes the same archive
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
                if (!a.owner().equals(owner) || !(a.isDirectory() || a.isRegularFile())) {
                    skipped++;
                    continue;
                }
                if (a.isDirectory()) {
                    TarArchiveEntry e = new TarArchiveEntry(rel + "/");
                    e.setMode((e.getMode() & ~07777) | toBits(a.permissions()));
                    e.setModTime(a.lastModifiedTime());
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                    try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                        walk(sub, rel + "/", depth + 1);
                    }
                } else {
                    bytes += a.size();
                    if (bytes > maxBytes) {
                        throw new CheckpointTooLargeException("checkpoint " + shownAs + " holds over "
                                + Sizes.format(maxBytes) + " (checkpoint.max_size)");
                    }
                    TarArchiveEntry e = new TarArchiveEntry(rel);
                    e.setSize(a.size());
                    e.setMode((e.getMode() & ~07777) | toBits(a.permissions()));
                    e.setModTime(a.lastModifiedTime());
                    tar.putArchiveEntry(e);
                    try (SeekableByteChannel ch =
                            dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                        copyExactly(ch, a.size(), rel);
                    }
                    tar.closeArchiveEntry();
                    files++;
                }
            }
        }

        private void copyExactly(SeekableByteChannel ch, long size, String rel) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long left = size;
            while (left > 0) {
                buf.clear();
                if (left < buf.capacity()) buf.limit((int) left);
                int n = ch.read(buf);
                if (n < 0)
                    throw new IOException("cannot pack " + shownAs + ": " + rel
                            + " shrank while being read (is the job still writing?)");
                tar.write(buf.array(), 0, n);
                left -= n;
            }
        }
    }
}
