package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input on one X display the moment it happens: a connection of its own with XInput 2 raw events
 * selected ({@link X11Connection#selectRawInput}) and a thread that reports
 * {@code InputSeen("x11::N", t, t)} for the first event after a quiet {@link #QUIET}, then at most
 * one per {@link #QUIET} while input goes on. This makes X11 input event-driven like evdev: the
 * decision to freeze follows a key press by the time the kernel takes to wake this thread, not by
 * up to one sampling interval (HTCondor's and BOINC's 5 s and 10 s loops are the complaint).
 *
 * <p>The idle sensor's sampling stays on beside it: it gives the idle time at start (events say
 * nothing until the next input) and covers a server without XInput 2.
 */
final class X11InputListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(X11InputListener.class);
    /** The finest grain the policy needs; a moving mouse sends hundreds of raw events a second. */
    static final Duration QUIET = Duration.ofMillis(250);
    /** How long one wait lasts before the thread looks whether it was closed. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final int display;
    private final X11Connection connection;
    private final Thread thread;
    private volatile boolean closed;

    private X11InputListener(int display, X11Connection connection, Clock clock, Consumer<OwnerSignal> sink) {
        this.display = display;
        this.connection = connection;
        this.thread = new Thread(() -> listen(clock, sink), "sensor-x11-input-:" + display);
        this.thread.setDaemon(true);
    }

    /**
     * Connects with the cookie that worked for the idle connection and starts listening.
     *
     * @throws IOException when the display cannot be reached or has no XInput 2.1
     */
    static X11InputListener start(
            int display, Path socket, byte[] cookie, Duration timeout, Clock clock, Consumer<OwnerSignal> sink)
            throws IOException {
        X11Connection c = X11Connection.open(socket, cookie, timeout);
        try {
            c.selectRawInput();
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        X11InputListener l = new X11InputListener(display, c, clock, sink);
        l.thread.start();
        return l;
    }

    /** False once the connection broke (the idle sensor then reconnects both). */
    boolean alive() {
        return thread.isAlive();
    }

    private void listen(Clock clock, Consumer<OwnerSignal> sink) {
        String source = "x11::" + display;
        InputRateLimit limit = new InputRateLimit(QUIET);
        try {
            while (!closed) {
                if (!connection.awaitInput(WAIT)) continue;
                Instant now = clock.instant();
                if (limit.admit(now)) sink.accept(new InputSeen(source, now, now));
            }
        } catch (ClosedChannelException | ClosedSelectorException e) {
            // closed by close(): the normal way out
        } catch (IOException | RuntimeException e) {
            if (!closed)
                log.info(
                        "x11: input events of display :{} ended ({}); sampling its idle time only until reconnected",
                        display,
                        e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        connection.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
