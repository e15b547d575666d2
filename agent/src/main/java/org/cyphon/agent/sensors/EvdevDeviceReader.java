package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one evdev device node with blocking reads on its own thread and reports the owner's input
 * the moment it is read: no polling interval stands between a key press and the sink.
 *
 * <p>A platform thread, not a virtual one: a read of a character device blocks in the kernel, which
 * would pin a virtual thread's carrier anyway. A desk has a handful of input devices. The device is
 * read through a {@link FileChannel} because closing one wakes a thread blocked in its read, which
 * a {@code FileInputStream} does not promise.
 */
final class EvdevDeviceReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EvdevDeviceReader.class);

    /** At most one signal per device per this interval while input goes on. */
    static final Duration RATE_LIMIT = Duration.ofMillis(50);

    /**
     * Event times further than this from the agent's clock are not believed (a driver or stand-in
     * that stamps zeros would otherwise say the owner last typed in 1970 while they type now).
     */
    private static final Duration BELIEVABLE_SKEW = Duration.ofMinutes(1);

    private final Path device;
    private final InputDeviceKind kind;
    private final InputEventLayout layout;
    private final Clock clock;
    private final Consumer<OwnerSignal> sink;
    private final Consumer<EvdevDeviceReader> onEnd;
    private final Object fileKey;
    private final String source;
    private final InputRateLimit rateLimit = new InputRateLimit(RATE_LIMIT);
    private final Thread thread;
    private volatile FileChannel channel;
    private volatile boolean closed;
    private volatile String failure;

    /**
     * @param fileKey identity of the device node it reads, to tell a new node of the same name apart
     * @param onEnd   called on the reader's thread when the device is gone or cannot be read
     */
    EvdevDeviceReader(
            Path device,
            Object fileKey,
            InputDeviceKind kind,
            InputEventLayout layout,
            Clock clock,
            Consumer<OwnerSignal> sink,
            Consumer<EvdevDeviceReader> onEnd) {
        this.device = device;
        this.fileKey = fileKey;
        this.kind = kind;
        this.layout = layout;
        this.clock = clock;
        this.sink = sink;
        this.onEnd = onEnd;
        this.source = "evdev:" + device;
        this.thread = new Thread(this::run, "evdev-" + device.getFileName());
        thread.setDaemon(true);
    }

    Path device() {
        return device;
    }

    Object fileKey() {
        return fileKey;
    }

    InputDeviceKind kind() {
        return kind;
    }

    /** Why the device could not be opened, or null. */
    String failure() {
        return failure;
    }

    /** Starts reading on the reader's own thread; reports "no input yet" for this source at once. */
    void start() {
        sink.accept(new InputSeen(source, clock.instant(), null));
        thread.start();
    }

    private void run() {
        // Opened here, not by the caller: opening a FIFO stand-in blocks until a writer appears, and
        // the thread that watches for new devices must never block on one device.
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            channel = ch;
            if (closed) return;
            readUntilGone(ch);
            if (!closed) log.info("evdev: {} is gone", device);
        } catch (ClosedChannelException e) {
            // close() was called: a normal end.
        } catch (IOException e) {
            if (!closed) {
                // Failing to open is a lasting problem (EACCES: the agent is not root); failing later
                // is the device going away (ENODEV when it is unplugged).
                if (channel == null) failure = "cannot read " + device + ": " + e.getMessage();
                log.info("evdev: {} ended: {}", device, e.toString());
            }
        } finally {
            onEnd.accept(this);
        }
    }

    private void readUntilGone(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(layout.size * 64).order(ByteOrder.nativeOrder());
        while (!closed) {
            if (ch.read(buf) < 0) return; // end of file: a FIFO stand-in's writer has gone
            buf.flip();
            // evdev hands out whole events only, but a FIFO may split them: keep the remainder.
            while (buf.remaining() >= layout.size) {
                take(layout.read(buf));
            }
            buf.compact();
        }
    }

    private void take(InputEvent e) {
        if (!OwnerInputFilter.isOwnerInput(kind, e)) return;
        Instant now = clock.instant();
        Instant when = e.time();
        if (Duration.between(when, now).abs().compareTo(BELIEVABLE_SKEW) > 0) when = now;
        if (rateLimit.admit(when)) sink.accept(new InputSeen(source, now, when));
    }

    /** Stops reading and closes the device; idempotent. */
    @Override
    public void close() {
        closed = true;
        FileChannel ch = channel;
        if (ch != null) {
            try {
                ch.close(); // wakes the reader blocked in read()
            } catch (IOException e) {
                log.debug("evdev: closing {}", device, e);
            }
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}
