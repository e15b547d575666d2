package org.cyphon.agent.desk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts QEMU and watches its process by pid, which is all a restarted agent has.
 *
 * <p>QEMU runs in a session of its own ({@code setsid}), so a Ctrl-C or a hang-up aimed at the
 * agent's terminal does not reach the owner's machine, and it outlives the agent. It is not
 * daemonized: QEMU then closes its stderr, and its messages (why a restore failed, say) would be
 * lost; as the agent's child its output goes to the desk's {@code qemu.log} for its whole life.
 *
 * <p>A small shell waits for QEMU and writes its exit status to a file ({@link #EXIT_SCRIPT}): an
 * agent restarted meanwhile is not QEMU's parent and could not learn it otherwise, and the status
 * is what tells a guest that shut down (0) from a QEMU that crashed or was killed (a SIGKILL is
 * 137, as the shell reports a signal).
 */
final class QemuProcess {
    /** QEMU opens its QMP socket early in its start; this long without it is a hung start. */
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(30);

    /** Runs its arguments, then writes their exit status to {@code $CYPHON_QEMU_EXIT} and exits with it. */
    static final String EXIT_SCRIPT = "\"$@\"; s=$?; echo $s > \"$CYPHON_QEMU_EXIT.tmp\" && mv -f "
            + "\"$CYPHON_QEMU_EXIT.tmp\" \"$CYPHON_QEMU_EXIT\"; exit $s";

    private QemuProcess() {}

    /**
     * Runs {@code argv} (a command line with {@code -pidfile} and a QMP server on {@code qmpSocket})
     * and returns the VM's pid once QEMU listens on its QMP socket.
     *
     * @throws DeskException with QEMU's own message (from {@code log}) when it exits while starting
     */
    static long launch(List<String> argv, Path pidFile, Path qmpSocket, Path log, Path exitStatus)
            throws DeskException {
        try {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(qmpSocket);
            Files.deleteIfExists(exitStatus);
            Files.writeString(log, "");
            List<String> command = new ArrayList<>();
            findSetsid().ifPresent(setsid -> command.add(setsid.toString()));
            command.addAll(List.of("/bin/sh", "-c", EXIT_SCRIPT, "sh"));
            command.addAll(argv);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("CYPHON_QEMU_EXIT", exitStatus.toString());
            Process qemu = pb.start();
            long deadline = System.nanoTime() + LAUNCH_TIMEOUT.toNanos();
            // QEMU writes the pid file before it writes the number: wait for the number too.
            while (true) {
                Long pid = Files.exists(qmpSocket) ? pidIn(pidFile) : null;
                if (pid != null) return pid;
                if (!qemu.isAlive()) {
                    throw DeskException.failed(
                            "qemu refused to start (exit " + qemu.exitValue() + "): " + errorText(log));
                }
                if (System.nanoTime() > deadline) {
                    // The shell and QEMU under it.
                    qemu.descendants().forEach(ProcessHandle::destroyForcibly);
                    qemu.destroyForcibly();
                    throw DeskException.failed("qemu did not open its QMP socket within " + LAUNCH_TIMEOUT.toSeconds()
                            + " s: " + errorText(log));
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw DeskException.failed("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeskException.failed("interrupted while starting qemu", e);
        }
    }

    /** The pid QEMU wrote, or null while the file is missing or not complete. */
    private static Long pidIn(Path pidFile) {
        try {
            String pid = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? Long.valueOf(pid) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * QEMU's exit status as the waiting shell wrote it, waiting up to {@code wait} for the shell to
     * write it (it does right after QEMU ends); null when there is none (a VM started by an agent
     * before this file existed, or a shell that was killed too).
     */
    static Integer exitStatus(Path file, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (s.matches("\\d+")) return Integer.valueOf(s);
            } catch (IOException e) {
                // not written yet
            }
            if (System.nanoTime() > deadline) return null;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** "exit status 1", "killed by SIGKILL (exit status 137)": the shell's $? in words. */
    static String describeExit(int status) {
        if (status <= 128 || status > 128 + 64) return "exit status " + status;
        int signal = status - 128;
        String name = switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
        return "killed by " + name + " (exit status " + status + ")";
    }

    /** The last {@code n} non-blank lines of QEMU's log, or a sentence saying there are none. */
    static List<String> lastLines(Path log, int n) {
        try {
            List<String> lines =
                    Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) return List.of("(" + log.getFileName() + " is empty)");
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    /**
     * True when {@code pid} is a live process (not a zombie: an exited QEMU whose parent has not
     * reaped it yet is gone as far as the desk is concerned) whose command line contains
     * {@code marker} (so a pid reused by another program is not taken for the VM).
     */
    static boolean isAlive(long pid, String marker) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // The state follows the command name, which is in parentheses and may contain anything.
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

    private static java.util.Optional<Path> findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, "setsid");
            if (Files.isExecutable(p)) return java.util.Optional.of(p);
        }
        return java.util.Optional.empty();
    }

    /** QEMU's messages in {@code log} on one line, without the program-name prefix. */
    static String errorText(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream()
                    .filter(l -> !l.isBlank())
                    .map(l -> l.replaceFirst("^qemu-system-x86_64: ", ""))
                    .toList();
            return lines.isEmpty() ? "no message (see " + log + ")" : String.join("; ", lines);
        } catch (IOException e) {
            return "no message (cannot read " + log + ")";
        }
    }
}
