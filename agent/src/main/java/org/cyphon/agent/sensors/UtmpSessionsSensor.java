package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.SessionInfo;
import org.cyphon.core.owner.SessionsSeen;

/**
 * Login sessions without logind: the records of {@code /var/run/utmp} (SSH logins, text consoles,
 * X logins that write one), and remote-desktop clients ({@link RemoteDesktopClients}), every
 * {@code sampleEvery}, as {@code SessionsSeen("utmp", ...)}. Remote sessions are the ones other
 * idle detectors miss: an SSH user compiling or a colleague on RDP is at this machine.
 *
 * <p>A session on a terminal reports {@code idleHint=true, idleSince=} its terminal's last input
 * (the device's access time, which is what w(1) shows as IDLE; the kernel updates it at most every
 * few seconds). Presence then counts it as activity at that time: an SSH login in use holds the
 * machine like a keyboard, and one forgotten overnight does not hold it forever. A record whose
 * process is gone (a crashed sshd leaves them) is not a session.
 */
public final class UtmpSessionsSensor extends SamplingSensor {

    private final Path utmp;
    private final Path procDir;
    private final Path devDir;

    /**
     * @param utmp    {@code /var/run/utmp}
     * @param procDir {@code /proc}
     * @param devDir  {@code /dev}, where the sessions' terminals are
     */
    public UtmpSessionsSensor(Path utmp, Path procDir, Path devDir, Duration sampleEvery, Clock clock) {
        super("utmp", sampleEvery, clock);
        this.utmp = utmp;
        this.procDir = procDir;
        this.devDir = devDir;
    }

    // Always available: without utmp, remote-desktop clients are still found.

    @Override
    protected List<SessionsSeen> takeSample() {
        return List.of(sample(clock.instant()));
    }

    @Override
    protected String describe() {
        return utmp + " and remote-desktop clients every " + sampleEvery;
    }

    SessionsSeen sample(Instant now) {
        List<SessionInfo> sessions = new ArrayList<>();
        try {
            for (UtmpRecord r : UtmpRecord.parseAll(Files.readAllBytes(utmp))) {
                if (r.type() != UtmpRecord.USER_PROCESS || r.pid() <= 0) continue;
                if (!Files.exists(procDir.resolve(Long.toString(r.pid())))) continue; // a stale record
                sessions.add(session(r));
            }
            status("ok");
        } catch (NoSuchFileException e) {
            status("no " + utmp + ": SSH and console logins are not seen here (logind lists them where it runs)");
        } catch (IOException e) {
            status("cannot read " + utmp + ": " + e.getMessage());
        }
        sessions.addAll(RemoteDesktopClients.find(procDir));
        return new SessionsSeen("utmp", now, sessions, List.of());
    }

    private SessionInfo session(UtmpRecord r) {
        boolean remote = isRemoteHost(r.host());
        String kind;
        if (remote) kind = r.line().startsWith("pts/") ? "ssh" : "other";
        else if (r.line().startsWith("tty")) kind = "tty";
        else if (r.line().startsWith(":")) kind = "x11";
        else kind = "other";
        Instant lastInput = terminalLastInput(r.line());
        return new SessionInfo("utmp:" + r.line(), r.user(), kind, remote, true, lastInput != null, lastInput);
    }

    /**
     * The host field names where a login came from: empty for a console, the display ({@code :0})
     * for a terminal window, {@code tmux(PID).%N} for a tmux pane; anything else is another machine
     * (an SSH client's address, or mosh's {@code ADDR via mosh [PID]}).
     */
    static boolean isRemoteHost(String host) {
        return !host.isEmpty() && !host.startsWith(":") && !host.startsWith("tmux(");
    }

    /** The terminal device's access time: when its user last typed; null for lines with no device. */
    private Instant terminalLastInput(String line) {
        if (line.isEmpty() || line.startsWith(":") || line.contains("..")) return null;
        try {
            return Files.readAttributes(devDir.resolve(line), BasicFileAttributes.class)
                    .lastAccessTime()
                    .toInstant();
        } catch (IOException e) {
            return null;
        }
    }
}
