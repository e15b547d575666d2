package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The signals a job may be asked to checkpoint with, and sending one. Only signals a process can
 * catch and that mean nothing else to Cyphon: not KILL or STOP (they cannot be handled), not CONT
 * (freeze and thaw use it in nice-only mode).
 *
 * <p>Sent with {@code kill(1)}: Java can send only TERM and KILL itself, and the agent must be able
 * to send USR1 without ending the job.
 */
public final class CheckpointSignal {
    /** Accepted names, without the SIG prefix. */
    public static final Set<String> NAMES = Set.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "ALRM", "XCPU", "PWR");

    private static final List<Path> KILL = List.of(Path.of("/usr/bin/kill"), Path.of("/bin/kill"));

    private CheckpointSignal() {}

    /**
     * "term", "SIGTERM", "TERM" -> "TERM".
     *
     * @throws IllegalArgumentException naming the accepted signals
     */
    public static String normalise(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) n = n.substring(3);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException(
                    "'" + name + "' is not a signal a job can be asked to checkpoint with (one of "
                            + String.join(", ", NAMES.stream().sorted().toList()) + ")");
        }
        return n;
    }

    /**
     * Sends {@code signal} to process {@code pid}.
     *
     * @return false when there is no such process (it has just exited)
     * @throws IOException when kill(1) is missing or fails otherwise
     */
    static boolean send(long pid, String signal) throws IOException, InterruptedException {
        String sig = normalise(signal);
        Path kill = KILL.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IOException("kill(1) not found in /usr/bin or /bin"));
        Process p = new ProcessBuilder(kill.toString(), "-s", sig, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("kill -s " + sig + " " + pid + " did not finish");
        }
        if (p.exitValue() == 0) return true;
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IOException(
                    "kill -s " + sig + " " + pid + " failed: " + new String(out, StandardCharsets.UTF_8).trim());
        }
        return false;
    }
}
