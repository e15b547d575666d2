package org.cyphon.agent.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This desk's cache of jobs' input files, named by their SHA-256 ({@code cache/SHA}, the agent's
 * alone: 0700), so a file many jobs read is fetched once. Bounded: past {@code maxBytes} the least
 * recently used files are dropped (each use sets a file's modification time, so the order survives a
 * restart). Never trusted: every use hashes the file as it is copied into a job's working directory,
 * and a file that does not match its name (bad disk, someone writing where they should not) is
 * dropped and fetched again.
 *
 * <p>A fetch streams into {@code SHA.part}; a fetch cut half-way continues from the part's size next
 * time. Once whole, the part is hashed (all of it, so bytes from an earlier, cut fetch are checked
 * too) and only a part with the right hash is renamed into the cache: nothing half-written is ever
 * under a content's name. A lock per content (striped), so two jobs needing the same file fetch it once.
 * {@link #evict} runs after a job's inputs are in place, never while a content is being copied.
 */
public final class InputCache {
    private static final Logger log = LoggerFactory.getLogger(InputCache.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 256 * 1024;

    /** Fetches a content, appending to {@code part} from its current size until it holds {@code size} bytes. */
    @FunctionalInterface
    public interface Fetch {
        void into(String sha256, long size, Path part) throws Exception;
    }

    /** The content fetched does not have the hash it was asked by: the coordinator sent other bytes. */
    public static final class WrongContent extends IOException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        WrongContent(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final Clock clock;
    /** Striped, so the locks do not grow with every content a desk has ever seen. */
    private final ReentrantLock[] locks = new ReentrantLock[64];

    private final Map<String, Long> sizes = new HashMap<>();

    public InputCache(Path dir, long maxBytes, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix"))
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        this.maxBytes = maxBytes;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) locks[i] = new ReentrantLock();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (SHA256.matcher(n).matches() && Files.isRegularFile(f)) sizes.put(n, Files.size(f));
            }
        }
    }

    /** Bytes the cache holds now. */
    public synchronized long bytes() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether the content is cached (not whether it is intact: that is checked at each use). */
    public synchronized boolean has(String sha256) {
        return sizes.containsKey(sha256);
    }

    /**
     * Puts the content into {@code dest} (a new file: it must not exist), fetching it first when it is
     * not cached, and checking its hash as it is copied; a cached copy that fails the check is dropped
     * and fetched again, once.
     *
     * @throws WrongContent the content fetched afresh still does not match its hash
     * @throws Exception    whatever {@code fetch} throws (the coordinator is unreachable, refused)
     */
    public void copyTo(String sha256, long size, Path dest, Fetch fetch) throws Exception {
        if (!SHA256.matcher(sha256).matches()) throw new IllegalArgumentException("not a content hash: " + sha256);
        ReentrantLock lock = lockOf(sha256);
        lock.lock();
        try {
            boolean fetchedNow = false;
            for (int round = 0; round < 2; round++) {
                if (!cached(sha256)) {
                    fetch(sha256, size, fetch);
                    fetchedNow = true;
                }
                if (copyChecked(sha256, dest)) {
                    touch(sha256);
                    return;
                }
                drop(sha256);
                if (fetchedNow) break; // just fetched and checked as it came, yet now wrong: the disk lies
                log.warn("input cache: {} did not match its SHA-256; dropped, fetching it again", sha256);
            }
            throw new WrongContent("the content " + sha256 + " does not match its SHA-256 even fetched afresh");
        } finally {
            lock.unlock();
        }
    }

    /** Drops least recently used contents not in use until the cache holds at most {@code maxBytes}. */
    public void evict() {
        List<Path> byAge = new ArrayList<>();
        synchronized (this) {
            if (bytes() <= maxBytes) return;
            for (String sha : sizes.keySet()) byAge.add(dir.resolve(sha));
        }
        byAge.sort(Comparator.comparing(InputCache::lastUsed));
        for (Path p : byAge) {
            if (bytes() <= maxBytes) return;
            String sha = p.getFileName().toString();
            ReentrantLock lock = lockOf(sha);
            if (!lock.tryLock()) continue; // being used right now
            try {
                drop(sha);
            } finally {
                lock.unlock();
            }
        }
    }

    private ReentrantLock lockOf(String sha256) {
        return locks[Math.floorMod(sha256.hashCode(), locks.length)];
    }

    private synchronized boolean cached(String sha256) {
        return sizes.containsKey(sha256) && Files.isRegularFile(dir.resolve(sha256));
    }

    private void fetch(String sha256, long size, Fetch fetch) throws Exception {
        Path part = dir.resolve(sha256 + ".part");
        fetch.into(sha256, size, part);
        MessageDigest d = sha256();
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.READ)) {
            if (ch.size() != size)
                throw new IOException("fetched " + ch.size() + " bytes of " + sha256 + ", not " + size);
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            while (ch.read(buf) >= 0) {
                buf.flip();
                d.update(buf);
                buf.clear();
            }
        }
        String actual = HexFormat.of().formatHex(d.digest());
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(part);
            throw new WrongContent("the coordinator sent bytes with SHA-256 " + actual + " for " + sha256);
        }
        Files.move(part, dir.resolve(sha256), StandardCopyOption.ATOMIC_MOVE);
        synchronized (this) {
            sizes.put(sha256, size);
        }
    }

    /** Copies the cached content to {@code dest} while hashing it; false (and no {@code dest}) when it does not match. */
    private boolean copyChecked(String sha256, Path dest) throws IOException {
        MessageDigest d = sha256();
        Path tmp = dest.resolveSibling(".cyphon-input-" + System.nanoTime());
        try (FileChannel in = FileChannel.open(dir.resolve(sha256), StandardOpenOption.READ);
                FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            while (in.read(buf) >= 0) {
                buf.flip();
                d.update(buf.duplicate());
                while (buf.hasRemaining()) out.write(buf);
                buf.clear();
            }
        } catch (NoSuchFileException gone) {
            Files.deleteIfExists(tmp);
            return false;
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (!HexFormat.of().formatHex(d.digest()).equals(sha256)) {
            Files.deleteIfExists(tmp);
            return false;
        }
        Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private void touch(String sha256) {
        try {
            Files.setLastModifiedTime(dir.resolve(sha256), FileTime.fromMillis(clock.millis()));
        } catch (IOException e) {
            log.debug("input cache: cannot mark {} used: {}", sha256, e.toString());
        }
    }

    private void drop(String sha256) {
        try {
            Files.deleteIfExists(dir.resolve(sha256));
        } catch (IOException e) {
            log.warn("input cache: cannot delete {}: {}", sha256, e.toString());
        }
        synchronized (this) {
            sizes.remove(sha256);
        }
    }

    private static FileTime lastUsed(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
