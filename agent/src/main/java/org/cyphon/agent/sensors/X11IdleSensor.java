package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The X server's own idle time (MIT-SCREEN-SAVER), for every local X display: it counts input the
 * kernel's evdev nodes may not show (XTEST, VNC servers injecting into the display, input devices
 * the agent cannot open). It samples every {@code sampleEvery} and reports
 * {@code InputSeen("x11::N", now, now - idle)}; beside that, an {@link X11InputListener} per display
 * reports input the moment it happens (XInput 2 raw events), so the yield does not wait for the next
 * sample. A server without XInput 2.1 is sampled only, and {@link #status()} says so.
 *
 * <p>It finds the displays and their cookies by itself ({@link X11DisplayFinder}) and keeps one
 * connection per display ({@link X11Connection}). A display it cannot open is retried with a
 * growing pause (a login may bring a new cookie), and its reason shows in {@link #status()}.
 * Xwayland displays are skipped: Xwayland's idle time counts only input to X windows and would call
 * an owner typing in a Wayland window idle (logind's IdleHint covers Wayland).
 */
public final class X11IdleSensor extends SamplingSensor {

    private static final Logger log = LoggerFactory.getLogger(X11IdleSensor.class);
    private static final Duration X_TIMEOUT = Duration.ofSeconds(2);
    /** Samples between scans of /proc for X servers when the socket directory does not change. */
    private static final int SERVER_SCAN_EVERY = 30;

    private static final int FIRST_RETRY_AFTER = 5;
    private static final int LAST_RETRY_AFTER = 300;
    /**
     * How many times slower the idle time is sampled while every display reports input as events,
     * or there is no display: the samples then only find new displays and check the connections,
     * and each one costs an evaluation of the desk's policy.
     */
    static final int SLOWDOWN_WITH_EVENTS = 10;

    private final X11DisplayFinder finder;
    private final Path socketDir;
    private final Map<Integer, DisplayState> displays = new TreeMap<>();
    private List<X11DisplayFinder.XServer> servers;
    private SortedSet<Integer> lastSockets;
    private int samplesSinceServerScan;
    private Consumer<OwnerSignal> sink;

    /** What the sensor knows of one display; touched by the sampling thread only. */
    private static final class DisplayState {
        X11Connection connection;
        /** Event-driven input; null when the server has no XInput 2.1 ({@code noEvents} says why). */
        X11InputListener input;

        String noEvents;
        String problem;
        int waitSamples;
        int retryAfter = FIRST_RETRY_AFTER;
    }

    /**
     * @param socketDir {@code /tmp/.X11-unix}
     * @param procDir   {@code /proc}
     */
    public X11IdleSensor(Path socketDir, Path procDir, Duration sampleEvery, Clock clock) {
        super("x11", sampleEvery, clock);
        this.finder = new X11DisplayFinder(socketDir, procDir, hostname(procDir));
        this.socketDir = socketDir;
    }

    // Always available: a display may appear at the next login; status() says when there is none.

    @Override
    protected synchronized void starting(Consumer<OwnerSignal> sink) {
        this.sink = sink;
    }

    @Override
    protected List<OwnerSignal> takeSample() {
        return sample();
    }

    @Override
    protected synchronized Duration nextSampleIn() {
        // No display at all (a headless box, or between two): the samples only look for one to appear,
        // which a login does rarely; evdev and logind see the person meanwhile.
        boolean allEvents =
                displays.values().stream().allMatch(d -> d.connection != null && d.input != null && d.input.alive());
        return allEvents ? sampleEvery.multipliedBy(SLOWDOWN_WITH_EVENTS) : sampleEvery;
    }

    @Override
    protected String describe() {
        return "input events from every X display as they happen; idle time sampled every " + sampleEvery + " (every "
                + sampleEvery.multipliedBy(SLOWDOWN_WITH_EVENTS) + " while all displays send events, or there is none)";
    }

    /** One sample of every display; runs on the sampling thread. */
    synchronized List<OwnerSignal> sample() {
        SortedSet<Integer> numbers = finder.socketDisplays();
        if (servers == null || !numbers.equals(lastSockets) || ++samplesSinceServerScan >= SERVER_SCAN_EVERY) {
            servers = finder.servers();
            lastSockets = new TreeSet<>(numbers); // a copy: the servers' displays are added to numbers below
            samplesSinceServerScan = 0;
        }
        servers.forEach(s -> numbers.add(s.display()));
        displays.keySet().removeIf(n -> {
            if (numbers.contains(n)) return false;
            DisplayState gone = displays.get(n);
            if (gone.connection != null) {
                disconnect(gone);
                log.info("x11: display :{} is gone", n);
            }
            return true;
        });

        List<OwnerSignal> out = new ArrayList<>();
        for (int n : numbers) {
            DisplayState d = displays.computeIfAbsent(n, k -> new DisplayState());
            if (d.connection == null) {
                if (d.waitSamples > 0) {
                    d.waitSamples--;
                    continue;
                }
                connect(n, d);
                if (d.connection == null) continue;
            }
            try {
                Duration idle = d.connection.idle();
                Instant now = clock.instant();
                out.add(new InputSeen("x11::" + n, now, now.minus(idle)));
                if (d.input != null && !d.input.alive()) throw new IOException("its input event connection broke");
            } catch (IOException e) {
                // The server went away or reset; reconnect on the next sample.
                disconnect(d);
                d.problem = ":" + n + " stopped answering (" + e.getMessage() + ")";
                log.info("x11: display :{} stopped answering: {}", n, e.getMessage());
            }
        }
        status(displayStatus());
        return out;
    }

    private void connect(int n, DisplayState d) {
        var found = finder.locate(n, servers);
        if (found.isEmpty()) {
            fail(d, ":" + n + " has no reachable socket");
            return;
        }
        X11DisplayFinder.Display display = found.get();
        if (display.xwayland()) {
            fail(d, ":" + n + " is Xwayland, whose idle time misses Wayland input (skipped)");
            d.waitSamples = LAST_RETRY_AFTER;
            return;
        }
        List<X11DisplayFinder.Cookie> tries = new ArrayList<>(display.cookies());
        tries.add(new X11DisplayFinder.Cookie(null, null)); // last: no cookie (host or SI access may allow root)
        String lastRefusal = null;
        for (X11DisplayFinder.Cookie cookie : tries) {
            try {
                d.connection = X11Connection.open(display.socket(), cookie.data(), X_TIMEOUT);
                d.problem = null;
                d.retryAfter = FIRST_RETRY_AFTER;
                listen(n, d, display.socket(), cookie.data());
                log.info(
                        "x11: reading {} of display :{} through {} ({})",
                        d.input != null ? "input events and idle time" : "idle time",
                        n,
                        display.socket(),
                        cookie.from() == null ? "no cookie" : "cookie from " + cookie.from());
                return;
            } catch (X11ConnectionRefusedException e) {
                lastRefusal = e.getMessage();
            } catch (IOException e) {
                fail(d, ":" + n + " cannot be read: " + e.getMessage());
                return;
            }
        }
        fail(
                d,
                display.cookies().isEmpty()
                        ? ":" + n + " refused a connection without a cookie (\"" + lastRefusal
                                + "\"), and no cookie for it was found in " + display.authorityFiles()
                        : ":" + n + " refused all " + display.cookies().size() + " cookie(s) found in "
                                + display.authorityFiles() + " (\"" + lastRefusal + "\")");
    }

    private void listen(int n, DisplayState d, Path socket, byte[] cookie) {
        try {
            // The listener's thread is the freeze path: made on an ordinary thread, not this demoted one.
            d.input = onOrdinaryThread(() -> X11InputListener.start(n, socket, cookie, X_TIMEOUT, clock, sink));
            d.noEvents = null;
        } catch (IOException e) {
            d.noEvents = ":" + n + " sampled every " + sampleEvery + " only (" + e.getMessage() + ")";
            log.info(
                    "x11: no input events from display :{} ({}); its idle time is sampled every {}",
                    n,
                    e.getMessage(),
                    sampleEvery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } catch (Exception e) {
            d.noEvents = ":" + n + " sampled every " + sampleEvery + " only (" + e + ")";
            log.warn("x11: cannot listen for input events of display :{}", n, e);
        }
    }

    private static void disconnect(DisplayState d) {
        if (d.input != null) d.input.close();
        d.input = null;
        if (d.connection != null) d.connection.close();
        d.connection = null;
    }

    private void fail(DisplayState d, String problem) {
        if (!problem.equals(d.problem)) log.info("x11: {}; retrying later", problem);
        d.problem = problem;
        d.waitSamples = d.retryAfter;
        d.retryAfter = Math.min(LAST_RETRY_AFTER, d.retryAfter * 2);
    }

    private String displayStatus() {
        if (displays.isEmpty()) return "no X display (no socket in " + socketDir + ", no X server process)";
        List<String> problems = displays.values().stream()
                .filter(d -> d.connection == null && d.problem != null)
                .map(d -> d.problem)
                .toList();
        boolean anyRead = displays.values().stream().anyMatch(d -> d.connection != null);
        List<String> sampledOnly = displays.values().stream()
                .filter(d -> d.connection != null && d.noEvents != null)
                .map(d -> d.noEvents)
                .toList();
        if (problems.isEmpty())
            return !anyRead ? "connecting" : sampledOnly.isEmpty() ? "ok" : "ok; " + String.join("; ", sampledOnly);
        return (anyRead ? "degraded: " : "") + String.join("; ", problems);
    }

    @Override
    protected synchronized void stopped() {
        displays.values().forEach(X11IdleSensor::disconnect);
        displays.clear();
    }

    private static String hostname(Path procDir) {
        try {
            return Files.readString(procDir.resolve("sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
