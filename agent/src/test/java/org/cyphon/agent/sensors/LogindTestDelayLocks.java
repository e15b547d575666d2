package org.cyphon.agent.sensors;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.freedesktop.dbus.FileDescriptor;

/**
 * The test logind's inhibitor locks, made as systemd-logind makes them: a FIFO per lock, whose
 * writing end goes to the caller (as the {@code h} of {@code Inhibit}) while logind keeps the reading
 * end; the lock is released when the reader sees end-of-file, i.e. when every copy of the caller's
 * descriptor is closed, by a call or by the holder's death alike.
 */
final class LogindTestDelayLocks implements AutoCloseable {
    /** One lock handed out. */
    record Lock(String what, String who, String why, String mode, CompletableFuture<Void> released) {
        boolean covers(String operation) {
            return Arrays.asList(what.split(":")).contains(operation);
        }
    }

    /** How an announced operation went: how long logind waited, and whether every delay lock was let go. */
    record Wait(Duration waited, boolean released) {}

    private final Path dir;
    private final List<Lock> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    LogindTestDelayLocks() throws IOException {
        this.dir = Files.createTempDirectory("cyphon-logind-inhibit-");
    }

    /** Takes a lock: returns the descriptor to hand the caller (closed on our side once sent). */
    FileDescriptor take(String what, String who, String why, String mode) {
        try {
            Path fifo = dir.resolve(next.incrementAndGet() + ".ref");
            Process mkfifo = new ProcessBuilder("mkfifo", "-m", "0600", fifo.toString())
                    .redirectErrorStream(true)
                    .start();
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0)
                throw new IOException("mkfifo " + fifo + " failed");
            // Read-write: opening a FIFO so does not wait for a reader, and counts as a writer, so the
            // reading end below opens at once too.
            RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw");
            InputStream reader = new FileInputStream(fifo.toFile());
            Lock lock = new Lock(what, who, why, mode, new CompletableFuture<>());
            held.add(lock);
            Thread.ofVirtual().name("logind-lock-" + who).start(() -> awaitRelease(lock, reader));
            int fd = FdPassingSocketProvider.numberOf(writer.getFD());
            FdPassingSocketProvider.handOver(fd, writer);
            return new FileDescriptor(fd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitRelease(Lock lock, InputStream reader) {
        try (reader) {
            while (reader.read() >= 0) {
                // nobody writes into a lock; only its end counts
            }
        } catch (IOException e) {
            // the same as an end: the lock is gone
        }
        held.remove(lock);
        lock.released().complete(null);
    }

    List<Lock> held() {
        return List.copyOf(held);
    }

    /**
     * Waits, as logind does after announcing {@code operation} ("shutdown" or "sleep"), until every
     * delay lock on it is released, at most {@code max} (logind's InhibitDelayMaxSec).
     */
    Wait awaitDelayLocks(String operation, Duration max) throws InterruptedException {
        long start = System.nanoTime();
        List<CompletableFuture<Void>> pending = held.stream()
                .filter(l -> l.mode().equals("delay") && l.covers(operation))
                .map(Lock::released)
                .toList();
        boolean released = true;
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            released = false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return new Wait(Duration.ofNanos(System.nanoTime() - start), released);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir with FIFOs is harmless
        }
    }
}
