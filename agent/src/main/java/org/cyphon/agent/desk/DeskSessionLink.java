package org.cyphon.agent.desk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.cyphon.core.desk.AdminHold;
import org.cyphon.core.desk.VmTarget;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the owner's desk session ({@code cyphon desk-session}) reaches the agent: a UNIX socket,
 * {@code session.sock} in the display directory (0700, the session user's), that accepts only the
 * session's user and root (checked again by the peer's credentials).
 *
 * <p>The session says {@code look} to learn where the VM is without waking it, and {@code wake} when it starts and whenever its viewer lost the VM (saved,
 * stopped, restarting). That is the owner sitting down, so it counts as their input
 * ({@code InputSeen("desk-session")}) for every presence decision, and the desk keeper brings a
 * paused or saved VM back at once. A stopped VM is started: the owner at their own desk is the
 * person whose call that is. The agent then tells the session where the VM is, one line per
 * change ({@code state saved}, {@code state restoring}, ..., {@code state running}), so it can show
 * the owner what is happening, and stops talking once the VM runs. While an administrator's hold
 * keeps the VM paused or saved, the keeper does not bring it back: the agent says so
 * ({@code held saved by alice until released}, or {@code until} an ISO instant) and keeps watching,
 * so the owner reads why instead of waiting silently. Keystrokes in the session are
 * the X server's and reach the agent's X11 sensor directly, like any other input on the desk.
 */
public final class DeskSessionLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeskSessionLink.class);
    /** The source name of the input a session's wake counts as. */
    public static final String SOURCE = "desk-session";

    private static final Duration WATCH_EVERY = Duration.ofMillis(100);

    private final DeskSpec.Display display;
    private final DeskVm vm;
    private final Starter starter;
    private final Consumer<OwnerSignal> sink;
    private final Runnable reconsider;
    private final Supplier<AdminHold> hold;
    private final Clock clock;
    private final UserPrincipal user;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private volatile boolean closed;

    private DeskSessionLink(
            DeskSpec.Display display,
            DeskVm vm,
            Starter starter,
            Consumer<OwnerSignal> sink,
            Runnable reconsider,
            Supplier<AdminHold> hold,
            Clock clock,
            UserPrincipal user,
            ServerSocketChannel server) {
        this.display = display;
        this.vm = vm;
        this.starter = starter;
        this.sink = sink;
        this.reconsider = reconsider;
        this.hold = hold;
        this.clock = clock;
        this.user = user;
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("desk-session-link").unstarted(this::accept);
    }

    /** Starts a stopped VM the owner's session asks for. */
    @FunctionalInterface
    public interface Starter {
        void start() throws DeskException;
    }

    /** Listens for the desk session of {@code display}'s user; a stopped VM is started straight on {@code vm}. */
    public static DeskSessionLink open(
            DeskSpec.Display display, DeskVm vm, Consumer<OwnerSignal> sink, Runnable reconsider, Clock clock)
            throws DeskException {
        return open(display, vm, vm::start, sink, reconsider, () -> null, clock);
    }

    /**
     * Listens for the desk session of {@code display}'s user.
     *
     * @param starter    starts a stopped VM the session asks for (the agent's goes through the desk's controller)
     * @param sink       where the owner's sitting down goes: the owner-first loop's signals
     * @param reconsider asks the desk keeper to look again
     * @param hold       the administrator's hold on the VM now, or null (the desk's controller)
     */
    public static DeskSessionLink open(
            DeskSpec.Display display,
            DeskVm vm,
            Starter starter,
            Consumer<OwnerSignal> sink,
            Runnable reconsider,
            Supplier<AdminHold> hold,
            Clock clock)
            throws DeskException {
        UserPrincipal user = DeskDisplay.prepareDir(display);
        try {
            Files.deleteIfExists(display.sessionSocket());
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(display.sessionSocket()));
            DeskDisplay.lchown(display.sessionSocket(), user);
            DeskSessionLink link =
                    new DeskSessionLink(display, vm, starter, sink, reconsider, hold, clock, user, server);
            link.acceptor.start();
            return link;
        } catch (IOException e) {
            throw DeskException.failed(
                    "cannot listen for the desk session at " + display.sessionSocket() + ": " + e, e);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                Thread.ofPlatform().daemon().name("desk-session").start(() -> serve(c));
            } catch (IOException e) {
                if (!closed) log.warn("desk session link: {}", e.toString());
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!peer.user().equals(user) && !peer.user().getName().equals("root")) {
                log.warn(
                        "desk session link: refused {} (only {} and root)",
                        peer.user().getName(),
                        user.getName());
                return;
            }
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(c);
            String line;
            while ((line = in.readLine()) != null) {
                if (line.strip().equals("wake")) wake(out);
                else if (line.strip().equals("look")) look(out);
                else say(out, "error unknown request '" + line.strip() + "' (this agent knows: wake, look)");
            }
        } catch (IOException e) {
            // The session went away (logout, viewer restart): nothing to do.
        }
    }

    /** The owner sat down: their input, the keeper asked, a stopped VM started; then the VM's way back, told. */
    private void wake(OutputStream out) throws IOException {
        sink.accept(new InputSeen(SOURCE, clock.instant(), clock.instant()));
        reconsider.run();
        DeskVmState last = null;
        String heldSaid = null;
        int watched = 0;
        while (!closed) {
            DeskVmState now;
            try {
                now = vm.status().state();
                if (now == DeskVmState.STOPPED) {
                    say(out, "state starting");
                    log.info("desk: the owner's desk session asks for the VM: starting it");
                    starter.start();
                    now = vm.status().state();
                }
            } catch (DeskException e) {
                say(out, "error " + e.getMessage());
                return;
            }
            if (now != last) say(out, "state " + now.name().toLowerCase(Locale.ROOT));
            last = now;
            String held = heldAway(now);
            if (held != null && !held.equals(heldSaid)) say(out, held);
            // Released (or lapsed) while the owner waits: the keeper brings the VM back now.
            if (held == null && heldSaid != null) reconsider.run();
            heldSaid = held;
            if (now == DeskVmState.RUNNING) return;
            if (now == DeskVmState.FAILED) return;
            try {
                Thread.sleep(
                        WATCH_EVERY.toMillis()); // the pace of watching a VM on its way back, not a wait for a state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // The owner is still there, waiting: keep them present while the VM comes back.
            if (++watched % 10 == 0) sink.accept(new InputSeen(SOURCE, clock.instant(), clock.instant()));
        }
    }

    /**
     * "held saved by alice until released" when an administrator's hold keeps the VM from the
     * owner (paused or saved, which the keeper will not undo), else null.
     */
    private String heldAway(DeskVmState now) {
        if (now == DeskVmState.RUNNING) return null;
        AdminHold h = hold.get();
        if (h == null || h.state() == VmTarget.RUNNING || h.lapsedAt(clock.instant())) return null;
        return "held " + h.state().name().toLowerCase(Locale.ROOT) + " by " + h.by() + " until "
                + (h.until() == null ? "released" : h.until().toString());
    }

    /** Where the VM is, without waking it: the session asks before it waits for the owner. */
    private void look(OutputStream out) throws IOException {
        try {
            say(out, "state " + vm.status().state().name().toLowerCase(Locale.ROOT));
        } catch (DeskException e) {
            say(out, "error " + e.getMessage());
        }
    }

    private static void say(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(display.sessionSocket());
        } catch (IOException ignored) {
            // a stale socket is replaced by the next agent
        }
    }
}
