package org.cyphon.agent.sensors;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input the desk VM's guest sees, whatever it came from: the guest tools ({@code docs/guest-tools})
 * write one line to the virtio-serial port {@code org.cyphon.presence.0} whenever the guest gets
 * keyboard, mouse or other input. That includes devices the host's input stack never sees (a USB
 * device redirected into the guest through SPICE), which no other sensor can read. Each line is an
 * {@link InputSeen} with source {@value #SOURCE}, at once (the same path and latency as evdev).
 *
 * <p>The port's host side is a UNIX socket QEMU listens on in the desk's 0700 state directory, so
 * only the agent (root) can connect: a job cannot write presence into it. The sensor connects while
 * the VM runs and again after every restart or restore.
 *
 * <p>What the guest writes is not trusted: it is the owner's OS, possibly broken or hostile. Lines are
 * not parsed beyond their end (any line counts: {@code input} or {@code input <ms>} by convention),
 * a line longer than {@value #MAX_LINE} bytes is dropped, at most one signal passes per
 * {@link EvdevDeviceReader#RATE_LIMIT}, and reading is paced to {@value #MAX_BYTES_PER_SECOND} bytes a
 * second, so a guest that floods the port is slowed down (its writes block) instead of costing the
 * agent CPU. Each kind of misbehaviour is logged once.
 */
public final class GuestInputSensor implements Sensor {

    private static final Logger log = LoggerFactory.getLogger(GuestInputSensor.class);
    /** The source name of the guest's input reports. */
    public static final String SOURCE = "desk-guest";

    static final int MAX_LINE = 256;
    static final int MAX_BYTES_PER_SECOND = 64 * 1024;
    private static final Duration RECONNECT_EVERY = Duration.ofMillis(500);

    private final Path socket;
    private final Clock clock;
    private final Duration reconnectEvery;
    private final InputRateLimit rateLimit = new InputRateLimit(EvdevDeviceReader.RATE_LIMIT);
    private final Object wake = new Object();
    private volatile Consumer<OwnerSignal> sink;
    private volatile SocketChannel channel;
    private volatile boolean closed;
    private volatile String status = "waiting for the desk VM";
    private final AtomicLong lines = new AtomicLong();
    private boolean toldTooLong;
    private boolean toldFlood;
    private Thread reader;

    /** @param socket the host side of the guest's {@code org.cyphon.presence.0} port (QEMU listens) */
    public GuestInputSensor(Path socket, Clock clock) {
        this(socket, clock, RECONNECT_EVERY);
    }

    GuestInputSensor(Path socket, Clock clock, Duration reconnectEvery) {
        this.socket = socket;
        this.clock = clock;
        this.reconnectEvery = reconnectEvery;
    }

    @Override
    public String name() {
        return "desk-guest";
    }

    @Override
    public boolean start(Consumer<OwnerSignal> sink) {
        this.sink = sink;
        reader = Thread.ofPlatform().daemon().name("desk-guest-input").start(this::run);
        log.info("sensor desk-guest started: the guest's input reports at {}", socket);
        return true;
    }

    @Override
    public String status() {
        return status;
    }

    /** Lines the guest has written since the sensor started; for tests. */
    long lines() {
        return lines.get();
    }

    private void run() {
        while (!closed) {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(socket));
                channel = c;
                if (closed) return;
                status = "ok";
                log.info("desk-guest: reading the guest's input reports");
                read(c);
                status = "waiting for the desk VM (it closed its input channel)";
                log.info("desk-guest: the VM closed its input channel (stopped, saved or restarted)");
            } catch (AsynchronousCloseException e) {
                return; // close()
            } catch (IOException e) {
                // No VM yet, or QEMU between a save and a restore: try again shortly.
                status = "waiting for the desk VM (" + socket + ": " + e.getMessage() + ")";
            } finally {
                channel = null;
            }
            rest(reconnectEvery); // the pace of looking for a VM, not a wait for a state
        }
    }

    /** Reads lines until the VM closes the socket; each complete line of a sane length is input. */
    private void read(SocketChannel c) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        int lineLength = 0;
        long windowStart = System.nanoTime();
        long windowBytes = 0;
        while (!closed) {
            buffer.clear();
            int n = c.read(buffer);
            if (n < 0) return;
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) == '\n') {
                    if (lineLength <= MAX_LINE) line();
                    lineLength = 0;
                } else if (++lineLength == MAX_LINE + 1 && !toldTooLong) {
                    toldTooLong = true;
                    log.warn(
                            "desk-guest: the guest wrote a line longer than {} bytes on its input channel: ignored"
                                    + " (said once)",
                            MAX_LINE);
                }
            }
            windowBytes += n;
            long elapsed = System.nanoTime() - windowStart;
            if (elapsed >= 1_000_000_000L) {
                windowStart = System.nanoTime();
                windowBytes = 0;
            } else if (windowBytes >= MAX_BYTES_PER_SECOND) {
                if (!toldFlood) {
                    toldFlood = true;
                    log.warn(
                            "desk-guest: the guest writes more than {} bytes a second on its input channel:"
                                    + " read at that pace (said once)",
                            MAX_BYTES_PER_SECOND);
                }
                rest(Duration.ofNanos(1_000_000_000L - elapsed)); // throttling a flood
                windowStart = System.nanoTime();
                windowBytes = 0;
            }
        }
    }

    private void line() {
        lines.incrementAndGet();
        Instant now = clock.instant();
        if (rateLimit.admit(now)) sink.accept(new InputSeen(SOURCE, now, now));
    }

    /** Waits {@code d}, or less when the sensor is closed. */
    private void rest(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (wake) {
            long left;
            while (!closed && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(wake, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        SocketChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        Thread r = reader;
        if (r != null) {
            try {
                r.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("sensor desk-guest stopped");
    }
}
