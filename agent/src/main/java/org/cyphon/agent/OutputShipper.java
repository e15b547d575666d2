package org.cyphon.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships what attempts write to stdout/stderr: every {@code output.upload_every} for the running ones
 * ({@link #run}, the agent's ship loop, so {@code cyphon logs --follow} sees it live), and all that
 * is left once a job has ended ({@link #shipRest}). Each call sends what was written since the last,
 * in chunks of at most {@link #CHUNK} bytes; each chunk names its offset, so a re-send after a lost
 * reply is harmless. The coordinator enforces the size cap.
 */
final class OutputShipper {
    private static final Logger log = LoggerFactory.getLogger(OutputShipper.class);
    static final int CHUNK = 1 << 20;

    private final CoordinatorLink client;
    private final HeldAttempts attempts;
    private final Duration every;
    private final Retry retry;
    private final Shutdown shutdown;
    /** Bytes stored by the coordinator so far, all attempts: the ship loop's cadence follows it (ShipCadence). */
    private final AtomicLong shipped = new AtomicLong();

    OutputShipper(CoordinatorLink client, HeldAttempts attempts, Duration every, Retry retry, Shutdown shutdown) {
        this.client = client;
        this.attempts = attempts;
        this.every = every;
        this.retry = retry;
        this.shutdown = shutdown;
    }

    /**
     * The ship loop: new output of running attempts every {@code every} while there is some, less
     * often while none of them writes (ShipCadence), until the agent stops.
     */
    void run() {
        ShipCadence cadence = new ShipCadence(every);
        Duration wait = every;
        while (!shutdown.stopped()) {
            try {
                Thread.sleep(wait.toMillis());
                long before = shipped.get();
                for (LocalAttempt a : attempts.all()) {
                    if (a.hasLiveJob()) {
                        synchronized (a.shipping) {
                            ship(a);
                        }
                    }
                }
                wait = cadence.next(shipped.get() > before);
            } catch (InterruptedException e) {
                return;
            } catch (CoordinatorUnreachableException e) {
                // The beat loop reports the outage; shipping resumes from the same offsets.
            } catch (RuntimeException e) {
                log.error("agent {}: ship loop error", client.machine(), e);
            }
        }
    }

    /**
     * A job has ended: ships the rest of its output, waiting out an unreachable coordinator (its
     * report must come after its output, see docs/api.md).
     *
     * @throws InterruptedException the agent stopped first
     */
    void shipRest(LocalAttempt a) throws InterruptedException {
        retry.untilReached("output upload", () -> {
            synchronized (a.shipping) {
                return ship(a);
            }
        });
    }

    /**
     * Ships one attempt's new output; the caller holds {@code a.shipping}.
     *
     * @return true when everything written so far is stored (or the attempt is stale, so there is
     *         nothing left worth sending)
     */
    boolean ship(LocalAttempt a) throws CoordinatorUnreachableException {
        if (a.stale) return true;
        try {
            a.stdoutShipped = shipStream(a, "stdout", a.stdout, a.stdoutShipped);
            a.stderrShipped = shipStream(a, "stderr", a.stderr, a.stderrShipped);
            return true;
        } catch (CoordinatorRefusedException e) {
            // 409: no longer the job's current attempt. Its output has no home; stop trying.
            a.stale = true;
            return true;
        }
    }

    private long shipStream(LocalAttempt a, String stream, Path file, long from)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return from; // not created yet
        }
        long at = from;
        while (at < size) {
            int n = (int) Math.min(CHUNK, size - at);
            byte[] buf = new byte[n];
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                raf.seek(at);
                raf.readFully(buf);
            } catch (IOException e) {
                return at;
            }
            client.uploadOutput(a.work.fencingToken(), stream, at, buf);
            shipped.addAndGet(n);
            at += n;
        }
        return at;
    }
}
