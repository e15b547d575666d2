package org.cyphon.agent.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.cyphon.agent.sandbox.JobUser;
import org.cyphon.core.text.Sizes;

/**
 * A checkpoint directory as a tar archive (POSIX tar, uncompressed: checkpoints are often
 * compressed already, and an idle desk's CPU is the job's), and back.
 *
 * <p>The directory belongs to the job, so both directions are written against a job that tries to
 * make the agent (usually root) read or write what it should not:
 * <ul>
 *   <li>When the job runs as an account of its own, the directory is read and written only by a
 *       process running as that account ({@link ArchiveAsJob}, started by
 *       {@link JobAccountArchiver}), and the archive passes through a pipe: the job's checkpoint
 *       is produced and restored by the job's own identity, so a link it planted reaches only what
 *       the job itself may read. The agent alone makes and reads the tar, and counts every byte.</li>
 *   <li>{@link #pack} walks with directory handles, never following a link, and takes only
 *       directories and regular files owned by the directory's owner ({@link DirWalk}).</li>
 *   <li>{@link #unpack} first reads the whole archive and refuses it (with
 *       {@link UnsafeArchiveException}, before anything is written) if any name is absolute or
 *       climbs out with {@code ..}, or any entry is not a plain file or directory: symbolic and
 *       hard links, devices, FIFOs. Permissions are kept without set-user-ID, set-group-ID and
 *       sticky bits ({@link DirFill}).</li>
 * </ul>
 * Both stop at {@code maxBytes} of file content ({@link CheckpointTooLargeException}) and at
 * {@value #MAX_ENTRIES} entries.
 */
public final class CheckpointArchive {
    public static final int MAX_ENTRIES = DirWalk.MAX_ENTRIES;

    private CheckpointArchive() {}

    /**
     * What {@link #pack} stored.
     *
     * @param contentBytes bytes of file content (the archive is a little larger: headers, padding)
     * @param files        regular files stored
     * @param skipped      entries left out: links, devices, FIFOs, sockets, files of other owners,
     *                     files the job's account may not read
     */
    public record Packed(long contentBytes, int files, int skipped) {}

    /** {@link #pack(Path, Path, long, JobAccountArchiver, JobUser)} by the agent's own process. */
    public static Packed pack(Path dir, Path archive, long maxBytes) throws IOException {
        return pack(dir, archive, maxBytes, null, null);
    }

    /**
     * Writes {@code dir} into a new file {@code archive}. The job should not be changing the
     * directory meanwhile (it has exited, or is frozen): a file that changes size while read fails
     * the pack rather than storing a torn checkpoint.
     *
     * <p>Requires that no component of {@code dir}'s parent path can be replaced by the job (true
     * of {@code state_dir/work/ID}): {@code dir} itself is opened without following a link.
     *
     * @param as   the job's account, whose process reads the directory; null: the agent reads it
     *             (its jobs run as the agent's own user)
     * @throws CheckpointTooLargeException past {@code maxBytes} of content (the partial archive is deleted)
     * @throws IOException when {@code dir} is not a directory (a symbolic link counts as not one)
     */
    public static Packed pack(Path dir, Path archive, long maxBytes, JobAccountArchiver archiver, JobUser as)
            throws IOException {
        Path shownAs = dir.toAbsolutePath().normalize();
        boolean done = false;
        try (OutputStream file =
                        Files.newOutputStream(archive, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(
                        new BufferedOutputStream(file, 64 * 1024), StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            TarWriter writer = new TarWriter(tar, maxBytes, shownAs);
            if (as == null) DirWalk.walk(dir, writer);
            else packAs(archiver, as, dir, writer);
            tar.finish();
            done = true;
            return new Packed(writer.bytes, writer.files, writer.skipped);
        } finally {
            if (!done) Files.deleteIfExists(archive);
        }
    }

    private static void packAs(JobAccountArchiver archiver, JobUser as, Path dir, TarWriter writer) throws IOException {
        JobAccountArchiver.Run run = archiver.start(as, "pack", dir);
        try {
            run.process().getOutputStream().close();
            EntryWire.read(
                    new DataInputStream(new BufferedInputStream(run.process().getInputStream(), 64 * 1024)), writer);
        } catch (CheckpointTooLargeException tooLarge) {
            run.stop();
            throw tooLarge;
        } catch (IOException streamCut) {
            run.failure(streamCut); // the process's own reason, when it gave one
            throw streamCut;
        }
        run.finish();
    }

    /** {@link #unpack(Path, Path, long, JobAccountArchiver, JobUser)} by the agent's own process. */
    public static int unpack(Path archive, Path dir, long maxBytes) throws IOException {
        return unpack(archive, dir, maxBytes, null, null);
    }

    /**
     * Unpacks {@code archive} into {@code dir}, which must exist, be empty, and not be written by
     * anyone else meanwhile (the job has not started yet). The whole archive is checked before
     * anything is written: an unsafe one leaves {@code dir} as it was.
     *
     * @param as the job's account, whose process writes the files (and so owns them); null: the agent
     * @return the regular files written
     * @throws UnsafeArchiveException  when an entry would escape {@code dir} or is not a plain file or directory
     * @throws CheckpointTooLargeException past {@code maxBytes} of content
     */
    public static int unpack(Path archive, Path dir, long maxBytes, JobAccountArchiver archiver, JobUser as)
            throws IOException {
        replay(archive, maxBytes, null);
        if (as == null) {
            DirFill fill = new DirFill(dir);
            replay(archive, maxBytes, fill);
            return fill.files();
        }
        JobAccountArchiver.Run run = archiver.start(as, "unpack", dir);
        int files;
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(run.process().getOutputStream(), 64 * 1024))) {
            EntryWire.Writer w = new EntryWire.Writer(out);
            files = replay(archive, maxBytes, w);
            w.end();
        } catch (IOException brokenPipe) {
            run.failure(brokenPipe); // the process's own reason (it stopped reading), when it gave one
            throw brokenPipe;
        }
        run.finish();
        return files;
    }

    /**
     * Reads the archive, checking every entry, and hands each to {@code to} (null: only checks).
     *
     * @return the regular files in it
     */
    private static int replay(Path archive, long maxBytes, ArchiveEntries to) throws IOException {
        long bytes = 0;
        int entries = 0;
        int files = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 64 * 1024);
                TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (++entries > MAX_ENTRIES)
                    throw new UnsafeArchiveException("the checkpoint has more than " + MAX_ENTRIES + " entries");
                String name = EntryNames.clean(e.getName());
                byte type = e.getLinkFlag();
                if (type == TarConstants.LF_DIR) {
                    if (!name.isEmpty() && to != null) to.directory(name, e.getMode() & 0777, modified(e));
                } else if ((type == TarConstants.LF_NORMAL
                                || type == TarConstants.LF_OLDNORM
                                || type == TarConstants.LF_CONTIG)
                        && !e.isSparse()) {
                    bytes += e.getSize();
                    if (bytes > maxBytes)
                        throw new CheckpointTooLargeException(
                                "the checkpoint holds over " + Sizes.format(maxBytes) + " (checkpoint.max_size)");
                    if (name.isEmpty())
                        throw new UnsafeArchiveException(
                                "entry '" + e.getName() + "' would replace the checkpoint directory");
                    if (to != null) to.file(name, e.getMode() & 0777, modified(e), e.getSize(), tar);
                    files++;
                } else {
                    throw new UnsafeArchiveException("entry '" + e.getName() + "' is " + describe(e)
                            + ": a checkpoint may hold only files and directories");
                }
            }
        }
        return files;
    }

    private static long modified(TarArchiveEntry e) {
        FileTime t = e.getLastModifiedTime();
        return t == null ? 0 : t.toMillis();
    }

    private static String describe(TarArchiveEntry e) {
        if (e.isSymbolicLink()) return "a symbolic link to '" + e.getLinkName() + "'";
        if (e.isLink()) return "a hard link to '" + e.getLinkName() + "'";
        if (e.isCharacterDevice() || e.isBlockDevice()) return "a device";
        if (e.isFIFO()) return "a FIFO";
        if (e.isSparse()) return "a sparse file";
        return "of tar type '" + (char) e.getLinkFlag() + "'";
    }

    /**
     * Entries into the tar, checked and counted: whoever walked the directory (the job's own
     * account) is trusted for nothing, so names are checked again and the size cap is the agent's.
     */
    private static final class TarWriter implements ArchiveEntries {
        private final TarArchiveOutputStream tar;
        private final long maxBytes;
        private final Path shownAs;
        private final byte[] buffer = new byte[64 * 1024];
        long bytes;
        int files;
        int skipped;
        int entries;

        TarWriter(TarArchiveOutputStream tar, long maxBytes, Path shownAs) {
            this.tar = tar;
            this.maxBytes = maxBytes;
            this.shownAs = shownAs;
        }

        @Override
        public void directory(String path, int mode, long modifiedMillis) throws IOException {
            String name = named(path);
            TarArchiveEntry e = new TarArchiveEntry(name + "/");
            e.setMode((e.getMode() & ~07777) | (mode & 0777));
            e.setModTime(FileTime.fromMillis(modifiedMillis));
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        }

        @Override
        public void file(String path, int mode, long modifiedMillis, long size, InputStream content)
                throws IOException {
            String name = named(path);
            bytes += size;
            if (size < 0 || bytes > maxBytes)
                throw new CheckpointTooLargeException(
                        "checkpoint " + shownAs + " holds over " + Sizes.format(maxBytes) + " (checkpoint.max_size)");
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(size);
            e.setMode((e.getMode() & ~07777) | (mode & 0777));
            e.setModTime(FileTime.fromMillis(modifiedMillis));
            tar.putArchiveEntry(e);
            long left = size;
            while (left > 0) {
                int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) throw new IOException("cannot pack " + shownAs + ": " + name + " ended early");
                tar.write(buffer, 0, n);
                left -= n;
            }
            tar.closeArchiveEntry();
            files++;
        }

        @Override
        public void skipped(String path, String why) throws IOException {
            count();
            skipped++;
        }

        private String named(String path) throws IOException {
            count();
            String name = EntryNames.clean(path);
            if (name.isEmpty()) throw new UnsafeArchiveException("an entry names the checkpoint directory itself");
            return name;
        }

        private void count() throws IOException {
            if (++entries > MAX_ENTRIES)
                throw new IOException("cannot pack " + shownAs + ": more than " + MAX_ENTRIES + " entries");
        }
    }
}
