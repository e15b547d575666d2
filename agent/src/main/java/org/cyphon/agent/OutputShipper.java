package org.cyphon.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cyphon.agent.client.CoordinatorClient;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;

/**
 * Ships what an attempt wrote to stdout/stderr since the last call, in chunks of at most
 * {@link #CHUNK} bytes. Each chunk names its offset, so a re-send after a lost reply is harmless.
 * The coordinator enforces the size cap; we stop reading a stream once it says it is full.
 */
final class OutputShipper {
    static final int CHUNK = 1 << 20;

    private final CoordinatorClient client;
    /** Bytes stored by the coordinator so far, all attempts: the ship loop's cadence follows it (ShipCadence). */
    private final java.util.concurrent.atomic.AtomicLong shipped = new java.util.concurrent.atomic.AtomicLong();

    OutputShipper(CoordinatorClient client) {
        this.client = client;
    }

    /**
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

    /** All bytes shipped so far, by every call: grows when a ship found new output. */
    long bytesShipped() {
        return shipped.get();
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
