package org.cyphon.coordinator.checkpoints;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.cyphon.coordinator.files.PrivateFiles;

/**
 * Checkpoint archives on disk: {@code checkpoints/<jobId>/<name>.tar}, at most {@code maxBytes}
 * each. The coordinator never looks inside an archive; the agent packs and unpacks it.
 *
 * <p>An upload is streamed to a hidden {@code .part} file (never held in memory), flushed to disk,
 * then renamed atomically to a name of its own. Names are never reused, so a reader holding one
 * archive open, or a refused upload being cleaned away, never touches another; which name is the
 * job's checkpoint is said by the {@code checkpoints} table alone.
 *
 * <p>Every archive carries an HMAC-SHA256 over its job id and its content, in {@code <name>.mac}
 * beside it, keyed by a secret only the coordinator holds ({@code checkpoint-hmac.key} beside the
 * checkpoint directory, mode 0600, made on first start). {@link #verify} recomputes it before an
 * archive is handed out for a restore: an archive changed on disk (or moved from another job's
 * directory) is refused rather than unpacked into a job.
 */
public final class CheckpointFiles {
    static final String SUFFIX = ".tar";
    static final String PART = ".part";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final long maxBytes;

    /** An upload safely on disk under its temporary name. */
    record Received(long jobId, Path part, long bytes, byte[] hmac) {}

    /** The upload was larger than {@code max_checkpoint_bytes}; nothing of it was kept. */
    static final class TooLarge extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    static final String MAC = ".mac";
    private final byte[] key;

    public CheckpointFiles(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.key = CheckpointKey.loadOrCreate(dir.resolveSibling("checkpoint-hmac.key"));
    }

    /** The archive's HMAC as stored beside it does not match its content. */
    static final class Tampered extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        Tampered(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Recomputes the archive's HMAC and compares it (in constant time) with the one stored at upload.
     *
     * @throws Tampered when it differs or is missing
     */
    void verify(long jobId, String name) throws IOException, Tampered {
        Path mac = jobDir(jobId).resolve(name + MAC);
        byte[] expected;
        try {
            expected = Files.readAllBytes(mac);
        } catch (NoSuchFileException e) {
            throw new Tampered("it has no HMAC");
        }
        javax.crypto.Mac m = CheckpointKey.mac(key, jobId);
        try (InputStream in = open(jobId, name)) {
            byte[] buf = new byte[64 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) m.update(buf, 0, n);
        }
        if (!java.security.MessageDigest.isEqual(expected, m.doFinal())) {
            throw new Tampered("its content does not match its HMAC");
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Copies {@code body} into a new temporary file of the job, counting: past {@code maxBytes} it
     * stops reading, deletes what it wrote and throws {@link TooLarge}.
     */
    Received receive(long jobId, long token, InputStream body) throws IOException, TooLarge {
        Path jobDir = jobDir(jobId);
        PrivateFiles.directory(jobDir); // a checkpoint is its job's memory: 0700 and 0600, whatever the umask
        Path part = jobDir.resolve("." + token + "-" + randomHex() + PART);
        long total = 0;
        boolean done = false;
        javax.crypto.Mac mac = CheckpointKey.mac(key, jobId);
        try (FileChannel ch = PrivateFiles.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = Channels.newOutputStream(ch)) {
            byte[] buf = new byte[64 * 1024];
            for (int n = body.read(buf); n >= 0; n = body.read(buf)) {
                total += n;
                if (total > maxBytes) throw new TooLarge();
                out.write(buf, 0, n);
                mac.update(buf, 0, n);
            }
            out.flush();
            ch.force(true); // on disk before the table can name it
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(part);
        }
        return new Received(jobId, part, total, mac.doFinal());
    }

    /** Gives a received upload its final name, atomically, and returns that name. */
    String keep(Received r, long token) throws IOException {
        String name = token + "-" + randomHex() + SUFFIX;
        Path target = jobDir(r.jobId()).resolve(name);
        // The MAC first: an archive under its final name always has one.
        try (FileChannel ch = PrivateFiles.open(
                target.resolveSibling(name + MAC), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(r.hmac()));
        }
        try {
            Files.move(r.part(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "the checkpoint directory " + target.getParent() + " does not support atomic renames", e);
        }
        syncDirectory(target.getParent());
        return name;
    }

    /** Opens a stored archive; the stream stays readable even if the file is replaced meanwhile. */
    InputStream open(long jobId, String name) throws IOException {
        return Files.newInputStream(jobDir(jobId).resolve(name));
    }

    /** Deletes the job's archives and leftover uploads other than {@code keep} (null: all of them) and, when empty, its directory. */
    void deleteAllBut(long jobId, String keep, boolean alsoUploads) throws IOException {
        Path jobDir = jobDir(jobId);
        List<Path> doomed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(jobDir)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (n.equals(keep) || n.equals(keep + MAC)) continue;
                if (n.endsWith(SUFFIX) || n.endsWith(MAC) || (alsoUploads && n.endsWith(PART))) doomed.add(f);
            }
        } catch (NoSuchFileException e) {
            return;
        }
        for (Path f : doomed) Files.deleteIfExists(f);
        if (keep == null) {
            try {
                Files.deleteIfExists(jobDir);
            } catch (java.nio.file.DirectoryNotEmptyException busy) {
                // An upload is arriving (and will be refused: the job is finished); the next sweep removes it.
            }
        }
    }

    void delete(long jobId, String name) throws IOException {
        Files.deleteIfExists(jobDir(jobId).resolve(name));
        Files.deleteIfExists(jobDir(jobId).resolve(name + MAC));
    }

    /** Job ids that have a directory here. */
    List<Long> jobsOnDisk() throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> jobs = Files.newDirectoryStream(dir)) {
            for (Path p : jobs) {
                try {
                    out.add(Long.parseLong(p.getFileName().toString()));
                } catch (NumberFormatException notOurs) {
                    // Not a job directory: leave it alone.
                }
            }
        }
        return out;
    }

    private Path jobDir(long jobId) {
        return dir.resolve(Long.toString(jobId));
    }

    private static String randomHex() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Makes a rename durable (Linux: fsync of the directory); a no-op where directories cannot be opened. */
    private static void syncDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not supported here: the rename is still atomic, only its durability across a power cut is weaker.
        }
    }
}
