package org.cyphon.coordinator.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * File contents on the coordinator's disk, named by their SHA-256: {@code files/blobs/ab/abcd...}
 * (0600 files in 0700 directories, whatever the umask). The coordinator never looks inside one.
 *
 * <p>An upload arrives in pieces, each streamed to the end of its own hidden part file
 * {@code files/uploads/SHA.UPLOADER.part} (never held in memory): a connection cut half-way loses
 * nothing, and the next piece continues at the part's size. Once the part holds the declared size,
 * its SHA-256 is computed (what was received before this piece is read back, the rest hashed as it
 * arrives: one pass over the bytes) and compared with the name asked for; a part that does not
 * match is deleted, one that does is flushed to disk and renamed into place atomically. So the store
 * only ever holds complete, checked contents: nothing half-written is ever under a content's name.
 * Each uploader has a part of its own, so two users sending the same content never write into
 * each other's; whichever finishes first puts it in place, the other's part is then dropped.
 */
public final class BlobFiles {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern UPLOADER = Pattern.compile("[a-z0-9-]{1,40}");
    static final String PART = ".part";
    private static final int BUFFER = 256 * 1024;

    private final Path blobs;
    private final Path uploads;
    /** The parts being received right now, each by one request at a time. */
    private final java.util.concurrent.ConcurrentHashMap<String, Thread> receiving =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final Object[] blobLocks = new Object[64];

    public BlobFiles(Path dir) throws IOException {
        this.blobs = PrivateFiles.directory(dir.resolve("blobs"));
        this.uploads = PrivateFiles.directory(dir.resolve("uploads"));
        for (int i = 0; i < blobLocks.length; i++) blobLocks[i] = new Object();
    }

    /** Whether {@code s} can name a content: 64 lower-case hex digits. */
    public static boolean isHash(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    /** The lock around putting a content in place and deleting it, so a collection never removes one just put back. */
    public Object lockOf(String sha256) {
        return blobLocks[Math.floorMod(sha256.hashCode(), blobLocks.length)];
    }

    public boolean has(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /** Opens a content for reading; it stays readable even if it is deleted meanwhile. */
    public FileChannel open(String sha256) throws IOException {
        return FileChannel.open(path(sha256), StandardOpenOption.READ);
    }

    /** How much of an interrupted upload the uploader's part holds: where its next piece starts. */
    public long received(String sha256, String uploader) {
        try {
            return Files.size(part(sha256, uploader));
        } catch (IOException e) {
            return 0;
        }
    }

    /** The piece's start is not where the part ends: ask for the offset and continue from there. */
    public static final class WrongOffset extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        public final long expected;

        WrongOffset(long expected) {
            super(null, null, false, false);
            this.expected = expected;
        }
    }

    /** The bytes received do not have the SHA-256 they were sent as; the part is deleted. */
    public static final class NotThatContent extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        public final String actual;

        NotThatContent(String actual) {
            super(null, null, false, false);
            this.actual = actual;
        }
    }

    /** More bytes arrived than the size declared; what came before this piece is kept. */
    public static final class TooLong extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        TooLong() {
            super(null, null, false, false);
        }
    }

    /** Another piece of the same upload is being received right now. */
    public static final class Busy extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        Busy() {
            super(null, null, false, false);
        }
    }

    /**
     * Appends {@code body} to the uploader's part of {@code sha256}, starting at {@code offset}.
     *
     * @param size the whole content's size, as declared
     * @return the bytes the part now holds; equal to {@code size} when the content is complete,
     *     checked and in place
     * @throws IOException when the body could not be read to its end (the client went away): what
     *     arrived is kept for the next piece
     */
    public long receive(String sha256, String uploader, long size, long offset, InputStream body)
            throws IOException, WrongOffset, NotThatContent, TooLong, Busy {
        if (!isHash(sha256) || !UPLOADER.matcher(uploader).matches())
            throw new IllegalArgumentException("not a content hash or uploader: " + sha256 + " " + uploader);
        // One request per part: a client that retries while its cut request is still being read
        // (or two of the same user's sending the same file) is told to try again.
        String key = sha256 + "." + uploader;
        if (receiving.putIfAbsent(key, Thread.currentThread()) != null) throw new Busy();
        try {
            return receiveLocked(sha256, uploader, size, offset, body);
        } finally {
            receiving.remove(key);
        }
    }

    private long receiveLocked(String sha256, String uploader, long size, long offset, InputStream body)
            throws IOException, WrongOffset, NotThatContent, TooLong {
        Path part = part(sha256, uploader);
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (offset != have || have > size) throw new WrongOffset(Math.min(have, size));
        MessageDigest digest = sha256();
        long at = have;
        boolean complete;
        try (FileChannel ch =
                PrivateFiles.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // The piece replaces nothing: whatever a cut connection left past 'have' is not there.
            ch.truncate(have);
            hashPrefix(ch, have, digest);
            ch.position(have);
            byte[] buf = new byte[BUFFER];
            ByteBuffer wrap = ByteBuffer.wrap(buf);
            // A read that fails (the client went away) leaves what arrived before it in the part,
            // written whole: a resumed upload continues after it.
            for (int n = body.read(buf); n >= 0; n = body.read(buf)) {
                if (at + n > size) {
                    ch.truncate(have);
                    throw new TooLong();
                }
                wrap.clear().limit(n);
                while (wrap.hasRemaining()) ch.write(wrap);
                digest.update(buf, 0, n);
                at += n;
            }
            complete = at == size;
            if (complete) ch.force(true); // on disk before it can be named
        }
        if (!complete) return at;
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(part);
            throw new NotThatContent(actual);
        }
        synchronized (lockOf(sha256)) {
            if (has(sha256)) {
                Files.deleteIfExists(part); // someone else's upload of the same content got there first
            } else {
                Path target = path(sha256);
                PrivateFiles.directory(target.getParent());
                try {
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("the file store " + blobs + " does not support atomic renames", e);
                }
                syncDirectory(target.getParent());
            }
        }
        return size;
    }

    private static void hashPrefix(FileChannel ch, long length, MessageDigest digest) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long pos = 0;
        while (pos < length) {
            buf.clear().limit((int) Math.min(BUFFER, length - pos));
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("the upload's part file shrank while it was read");
            buf.flip();
            digest.update(buf);
            pos += n;
        }
    }

    /** Deletes a content (the caller holds {@link #lockOf} and has made sure no row names it). */
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(path(sha256));
    }

    /** Deletes parts of uploads nobody has continued since {@code olderThanMillis} (epoch ms). @return how many */
    public int deleteAbandonedUploads(long olderThanMillis) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(uploads, "*" + PART)) {
            for (Path p : parts) {
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < olderThanMillis && Files.deleteIfExists(p)) n++;
                } catch (NoSuchFileException gone) {
                    // finished or deleted meanwhile
                }
            }
        }
        return n;
    }

    /** Every content on disk, for matching against the table at start-up. */
    public List<String> onDisk() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(blobs)) {
            for (Path d : dirs) {
                if (!Files.isDirectory(d)) continue;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                    for (Path f : files) {
                        String n = f.getFileName().toString();
                        if (isHash(n)) out.add(n);
                    }
                }
            }
        }
        return out;
    }

    Path path(String sha256) {
        if (!isHash(sha256)) throw new IllegalArgumentException("not a content hash: " + sha256);
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private Path part(String sha256, String uploader) {
        return uploads.resolve(sha256 + "." + uploader + PART);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
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
