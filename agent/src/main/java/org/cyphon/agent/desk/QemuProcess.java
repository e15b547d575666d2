package org.cyphon.agent.desk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a daemonizing QEMU and watches its process by pid, which is all a restarted agent has:
 * the VM is not the agent's child (QEMU forks away from it with {@code -daemonize}).
 */
final class QemuProcess {
    /** The daemonizing parent returns once the VM is set up; this long is a hung start. */
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(60);

    private QemuProcess() {}

    /**
     * Runs {@code argv} (a command line with {@code -daemonize -pidfile PIDFILE}) and returns the
     * VM's pid.
     *
     * @throws DeskException with QEMU's own message (from {@code log}) when it refuses to start
     */
    static long launch(List<String> argv, Path pidFile, Path log) throws DeskException {
        try {
            Files.deleteIfExists(pidFile);
            Process parent = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!parent.waitFor(LAUNCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                parent.destroyForcibly();
                throw DeskException.failed("qemu did not finish starting within " + LAUNCH_TIMEOUT.toSeconds() + " s; see " + log);
            }
            if (parent.exitValue() != 0) {
                throw DeskException.failed("qemu refused to start (exit " + parent.exitValue() + "): " + errorText(log));
            }
            String pid = Files.exists(pidFile) ? Files.readString(pidFile, StandardCharsets.US_ASCII).trim() : "";
            if (!pid.matches("\\d+")) throw DeskException.failed("qemu started but wrote no pid to " + pidFile);
            return Long.parseLong(pid);
        } catch (IOException e) {
            throw DeskException.failed("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeskException.failed("interrupted while starting qemu", e);
        }
    }

    /**
     * True when {@code pid} is a live process (not a zombie: a daemonized QEMU is reaped by
     * whoever adopted it, which may take its time) whose command line contains {@code marker}.
     */
    static boolean isAlive(long pid, String marker) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // The state is the first field after the command name, which is in parentheses and may contain spaces.
            String afterName = stat.substring(stat.lastIndexOf(')') + 1).trim();
            if (afterName.startsWith("Z") || afterName.startsWith("X")) return false;
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).contains(marker);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Waits until {@code pid} is no longer a live process carrying {@code marker}; true when it went. */
    static boolean awaitExit(long pid, String marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid, marker)) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive(pid, marker);
            }
        }
        return true;
    }

    /** SIGKILL, for a QEMU that no longer answers QMP. */
    static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** QEMU's messages in {@code log}, one line, without the program-name prefix. */
    private static String errorText(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank())
                    .map(l -> l.replaceFirst("^qemu-system-x86_64: ", "")).toList();
            return lines.isEmpty() ? "no message (see " + log + ")" : String.join("; ", lines);
        } catch (IOException e) {
            return "no message (cannot read " + log + ")";
        }
    }
}
