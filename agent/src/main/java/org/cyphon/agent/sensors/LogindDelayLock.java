package org.cyphon.agent.sensors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logind <em>delay</em> inhibitor lock on {@code shutdown:sleep}: while it is held, logind waits
 * (at most its {@code InhibitDelayMaxSec}) after announcing a power-off or a sleep before going on,
 * which gives the agent the time to checkpoint its jobs and save the desk VM.
 *
 * <p>logind hands the lock out as a file descriptor ({@code Inhibit} returns {@code h}), held until
 * every copy of it is closed. The JDK's UNIX-domain sockets, which dbus-java uses here, cannot
 * receive descriptors, so the lock is taken by systemd's own client, {@code systemd-inhibit}
 * (package systemd, present wherever logind is), which calls the same {@code Inhibit} on the same
 * bus and keeps the descriptor while its command runs. The command is {@code cat} reading a pipe
 * from the agent: closing the pipe ends {@code cat} and so the lock; and when the agent dies the
 * pipe closes with it, so a dead agent never holds a desk's shutdown up.
 */
final class LogindDelayLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogindDelayLock.class);
    /** The line the command prints once systemd-inhibit holds the lock (it runs the command only then). */
    private static final String HELD = "cyphon-delay-lock-held";

    private static final long TAKE_SECONDS = 10;
    private static final long RELEASE_SECONDS = 5;

    private final Path systemdInhibit;
    /** The bus to use (the sensors' {@code dbus_address}), or null for the system bus. */
    private final String busAddress;

    private Process holder;
    private String problem;

    private LogindDelayLock(Path systemdInhibit, String busAddress) {
        this.systemdInhibit = systemdInhibit;
        this.busAddress = busAddress;
    }

    /** A lock not yet taken; {@link #take} takes it. */
    static LogindDelayLock on(String busAddress) {
        return new LogindDelayLock(locate("systemd-inhibit"), busAddress);
    }

    /**
     * Takes the lock, if it is not held already.
     *
     * @return whether it is held now; when not, {@link #problem()} says why
     */
    synchronized boolean take() throws InterruptedException {
        if (holder != null && holder.isAlive()) return true;
        if (systemdInhibit == null) {
            problem = "systemd-inhibit not found (package systemd): no delay lock";
            return false;
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        systemdInhibit.toString(),
                        "--what=shutdown:sleep",
                        "--who=Cyphon agent",
                        "--why=checkpoints its jobs and saves the desk VM first",
                        "--mode=delay",
                        "/bin/sh",
                        "-c",
                        "echo " + HELD + "; exec cat >/dev/null"))
                .redirectErrorStream(true);
        if (busAddress != null) pb.environment().put("DBUS_SYSTEM_BUS_ADDRESS", busAddress);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            problem = "cannot run " + systemdInhibit + ": " + e.getMessage();
            return false;
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> said = CompletableFuture.supplyAsync(() -> {
            StringBuilder text = new StringBuilder();
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals(HELD)) return HELD;
                    text.append(line.strip()).append(' ');
                }
            } catch (IOException e) {
                text.append(e.getMessage());
            }
            return text.toString().strip();
        });
        String answer;
        try {
            answer = said.get(TAKE_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            answer = "no answer within " + TAKE_SECONDS + " s";
        }
        if (!HELD.equals(answer)) {
            end(p);
            problem = "logind gave no delay lock: " + (answer.isEmpty() ? "systemd-inhibit exited" : answer);
            return false;
        }
        holder = p;
        problem = null;
        LOG.debug("logind delay lock on shutdown:sleep held (systemd-inhibit pid {})", p.pid());
        return true;
    }

    synchronized boolean held() {
        return holder != null && holder.isAlive();
    }

    /** Why the lock is not held, or null. */
    synchronized String problem() {
        return problem;
    }

    /** Lets logind go on: the descriptor closes as the holder exits. */
    synchronized void release() throws InterruptedException {
        Process p = holder;
        holder = null;
        if (p != null) end(p);
    }

    private static void end(Process p) throws InterruptedException {
        try {
            p.getOutputStream().close(); // cat sees the end of its input and exits; so does systemd-inhibit
        } catch (IOException e) {
            // already gone
        }
        if (!p.waitFor(RELEASE_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(RELEASE_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            release();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path locate(String name) {
        String path = System.getenv("PATH");
        for (String dir :
                (path == null ? "" : path + ":").concat("/usr/bin:/bin").split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
