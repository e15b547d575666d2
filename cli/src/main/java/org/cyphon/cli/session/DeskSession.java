package org.cyphon.cli.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The owner's desk session: their desk VM full-screen on this X display, through SPICE, for as long
 * as the session lasts. The display directory ({@code spice.sock}, {@code ticket},
 * {@code session.sock}) is the agent's handiwork, reachable by this user only (docs/desk-session.md).
 *
 * <p>Round and round: tell the agent the owner is here ({@code wake} on {@code session.sock}: a
 * paused VM resumes, a saved one is restored, a stopped one started), show what is happening on
 * the session's own screen until the agent says the VM runs ("Bringing your desktop back... 3 s"),
 * then run the viewer, {@code remote-viewer --kiosk}, with this start's password on its standard
 * input, until it ends: the VM was saved or stopped (its QEMU went away), or the viewer died.
 * Then again from the top. Keyboard and mouse input in the viewer is the X server's, which the
 * agent's X11 sensor sees like any other input on the desk.
 */
public final class DeskSession {
    /** Shown while the agent's answer is awaited, redrawn every second with the time spent. */
    private static final Duration TICK = Duration.ofSeconds(1);
    /** A viewer that fails sooner than this after its start is retried with a growing pause. */
    private static final Duration QUICK_DEATH = Duration.ofSeconds(5);

    private final Path dir;
    private final List<String> viewer;
    private final Screen screen;
    private final PrintStream log;
    private volatile Process running;
    private volatile boolean stopped;
    private int quickDeaths;

    /** Where the session shows what is happening while there is no VM to show. */
    public interface Screen extends AutoCloseable {
        void show(String headline, String detail) throws IOException;

        /** Waits up to {@code max} for a key or a click on the screen; false when none came. */
        boolean awaitInput(Duration max) throws IOException;

        @Override
        void close();
    }

    /**
     * @param dir    the display directory
     * @param viewer the viewer's command, to which the connection file on standard input is given
     *               ({@code remote-viewer --kiosk --kiosk-quit on-disconnect -})
     * @param screen opens the status screen (a new one each time: the viewer takes the display between)
     */
    public DeskSession(Path dir, List<String> viewer, ScreenFactory screen, PrintStream log) {
        this.dir = dir;
        this.viewer = viewer;
        this.screen = new LazyScreen(screen, log);
        this.log = log;
    }

    /** Opens a status screen. */
    public interface ScreenFactory {
        Screen open() throws IOException;
    }

    /** Runs until {@link #stop()} (the session ends: logout, SIGTERM). */
    public void run() throws InterruptedException {
        boolean ownerJustSatDown = true; // the session starts when the owner logs in
        while (!stopped) {
            if (!ownerJustSatDown) awaitOwner();
            ownerJustSatDown = false;
            String failure = bringBack();
            if (stopped) break;
            if (failure != null) {
                show("Your desktop cannot be shown right now", failure);
                Thread.sleep(10_000); // the pace of retrying a failed desk, not a wait for a state
                continue;
            }
            try {
                long began = System.nanoTime();
                int exit = runViewer();
                if (exit != 0 && System.nanoTime() - began < QUICK_DEATH.toNanos()) {
                    // A viewer that dies at once (no X display any more, a broken install) would be
                    // restarted in a tight loop: back off, doubling up to a minute, and say so.
                    quickDeaths++;
                    long wait = Math.min(60, 1L << Math.min(quickDeaths - 1, 6));
                    show("The desk viewer stopped (exit " + exit + ")", "Trying again in " + wait + " s");
                    Thread.sleep(TimeUnit.SECONDS.toMillis(wait)); // a retry's pace, not a wait for a state
                } else {
                    quickDeaths = 0;
                }
            } catch (IOException e) {
                show("The desk viewer could not start", e.getMessage());
                Thread.sleep(10_000); // as above: a retry's pace
            }
        }
        screen.close();
    }

    /** Ends the session: the viewer goes, and {@link #run()} returns. */
    public void stop() {
        stopped = true;
        Process p = running;
        if (p != null) p.destroy();
    }

    /**
     * After the viewer lost the VM: when it went away while the owner was not using it (saved at
     * night, paused and saved by the keeper, stopped by IT), the screen says so and waits for a key
     * or a click before asking for it back; the session must not undo the keeper's save by itself.
     * A VM that still runs (the viewer itself died) is shown again at once.
     */
    private void awaitOwner() throws InterruptedException {
        String state = look();
        if (state == null || state.equals("running")) return;
        String headline = switch (state) {
            case "saved" -> "Your desktop is saved while you are away";
            case "stopped" -> "Your desktop is switched off";
            case "failed" -> "Your desktop has failed";
            default -> "Your desktop is resting";
        };
        while (!stopped) {
            show(headline, "Press any key or click to bring it back");
            try {
                if (screen.awaitInput(Duration.ofSeconds(30))) return;
            } catch (IOException e) {
                log.println("desk session: cannot wait for the owner's input (" + e.getMessage() + "): waking at once");
                return;
            }
            String now = look();
            if (now == null || now.equals("running"))
                return; // brought back meanwhile (the owner's input elsewhere, IT)
        }
    }

    /** The VM's state as the agent says it, without waking it; null when the agent cannot be asked. */
    private String look() {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(dir.resolve("session.sock")));
            OutputStream out = Channels.newOutputStream(c);
            out.write("look\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            String line = in.readLine();
            log.println("desk session: agent says " + line);
            return line != null && line.startsWith("state ") ? line.substring(6).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Wakes the VM through the agent; null once it runs, else why it will not be shown. */
    private String bringBack() throws InterruptedException {
        long began = System.nanoTime();
        Path link = dir.resolve("session.sock");
        while (!stopped) {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(link));
                OutputStream out = Channels.newOutputStream(c);
                out.write("wake\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BlockingQueue<String> lines = new ArrayBlockingQueue<>(64);
                Thread reader = Thread.ofVirtual().start(() -> readLines(c, lines));
                String state = "asking";
                String held = null; // an administrator's hold keeping the VM from the owner, as the agent says it
                while (!stopped) {
                    String line = lines.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
                    if (line != null) {
                        log.println("desk session: agent says " + line);
                        if (line.equals("eof")) break;
                        if (line.startsWith("error ")) return line.substring(6);
                        if (line.startsWith("held ")) {
                            held = heldHeadline(line);
                            continue;
                        }
                        state = line.replaceFirst("^state ", "");
                        if (!state.equals("saved") && !state.equals("paused")) held = null;
                        if (state.equals("running")) {
                            reader.interrupt();
                            return null;
                        }
                        if (state.equals("failed"))
                            return "the desk VM has failed: IT can see why in cyphon desk status";
                    }
                    if (held != null) show(held, "It comes back as soon as they release it. " + seconds(began) + " s");
                    else show(headline(state), seconds(began) + " s");
                }
            } catch (IOException e) {
                show("Waiting for Cyphon on this desk", link + ": " + e.getMessage());
                Thread.sleep(1_000); // the agent may be starting: try again at this pace
            }
        }
        return null;
    }

    /**
     * "Your desktop is held saved by the administrator until released" (or "until 18:30") from the
     * agent's "held saved by alice until released" (or an ISO instant).
     */
    static String heldHeadline(String line) {
        String[] w = line.split(" ");
        String state = w.length > 1 ? w[1] : "away";
        int until = line.lastIndexOf(" until ");
        String when = until < 0
                ? "released"
                : line.substring(until + " until ".length()).strip();
        if (!when.equals("released")) {
            try {
                ZonedDateTime at = Instant.parse(when).atZone(ZoneId.systemDefault());
                when = at.toLocalDate().equals(LocalDate.now(ZoneId.systemDefault()))
                        ? at.format(DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH))
                        : at.format(DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH));
            } catch (DateTimeParseException e) {
                // shown as the agent wrote it
            }
        }
        return "Your desktop is held " + state + " by the administrator until " + when;
    }

    private static String headline(String state) {
        return switch (state) {
            case "saved", "restoring" -> "Bringing your desktop back...";
            case "stopped", "starting" -> "Starting your desktop...";
            case "paused" -> "Waking your desktop...";
            default -> "Getting your desktop ready...";
        };
    }

    private static void readLines(SocketChannel c, BlockingQueue<String> lines) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) lines.put(line.strip());
        } catch (IOException | InterruptedException e) {
            // the link closed: said below
        }
        lines.offer("eof");
    }

    /** Runs the viewer until it ends; its exit status. */
    private int runViewer() throws IOException, InterruptedException {
        String ticket = Files.readString(dir.resolve("ticket"), StandardCharsets.US_ASCII)
                .strip();
        String connection = "[virt-viewer]\n"
                + "type=spice\n"
                + "unix-path=" + dir.resolve("spice.sock") + "\n"
                + "password=" + ticket + "\n"
                + "title=Your desktop\n"
                + "fullscreen=1\n"
                + "enable-usbredir=1\n"
                + "enable-usb-autoshare=1\n"
                + "secure-attention=ctrl+alt+end\n";
        screen.close();
        Process p = new ProcessBuilder(viewer).redirectErrorStream(true).start();
        running = p;
        try (OutputStream in = p.getOutputStream()) {
            in.write(connection.getBytes(StandardCharsets.UTF_8));
        }
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) log.println("viewer: " + line);
            } catch (IOException ignored) {
                // the viewer ended
            }
        });
        log.println("desk session: viewer started (pid " + p.pid() + ")");
        int exit = p.waitFor();
        running = null;
        log.println("desk session: viewer ended (exit " + exit + ")");
        return exit;
    }

    private void show(String headline, String detail) {
        try {
            screen.show(headline, detail);
        } catch (IOException e) {
            log.println("desk session: " + headline + " " + detail + " (cannot draw: " + e.getMessage() + ")");
        }
    }

    private static long seconds(long since) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
    }

    /** Opens the status screen on first use, closes it for the viewer. */
    private static final class LazyScreen implements Screen {
        private final ScreenFactory factory;
        private final PrintStream log;
        private Screen open;

        LazyScreen(ScreenFactory factory, PrintStream log) {
            this.factory = factory;
            this.log = log;
        }

        @Override
        public void show(String headline, String detail) throws IOException {
            if (open == null) open = factory.open();
            log.println("desk session: showing '" + headline + " " + detail + "'");
            open.show(headline, detail);
        }

        @Override
        public boolean awaitInput(Duration max) throws IOException {
            if (open == null) open = factory.open();
            return open.awaitInput(max);
        }

        @Override
        public void close() {
            if (open != null) open.close();
            open = null;
        }
    }
}
