package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether transparent checkpointing with CRIU can be used on this machine: only where
 * {@code criu check} passes. Debian's CRIU 3.17, for one, fails it on recent kernels (vdso), and a
 * CRIU that fails its own check would fail dumps or, worse, restores; so it is detected at start,
 * reported to the coordinator ({@link #describe()} in the enrollment and heartbeat {@code criu}
 * field, shown per machine), and not used unless available.
 *
 * @param available {@code criu check} passed
 * @param reason    why not (null when available)
 */
public record CriuAvailability(boolean available, String reason) {
    static final List<Path> SEARCH = List.of(
            Path.of("/usr/local/sbin"),
            Path.of("/usr/local/bin"),
            Path.of("/usr/sbin"),
            Path.of("/usr/bin"),
            Path.of("/sbin"),
            Path.of("/bin"));
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    /** As {@code checkpoint.criu = "auto"}. */
    public static CriuAvailability detect() {
        return detect(CriuMode.AUTO);
    }

    /** Runs {@code criu check} unless {@code mode} is OFF; never throws. */
    public static CriuAvailability detect(CriuMode mode) {
        if (mode == CriuMode.OFF) return new CriuAvailability(false, "disabled by checkpoint.criu = \"off\"");
        Path criu = SEARCH.stream()
                .map(d -> d.resolve("criu"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        if (criu == null) return new CriuAvailability(false, "criu is not installed");
        return check(criu, CHECK_TIMEOUT);
    }

    /** Runs {@code CRIU check}; available only if it exits 0. */
    static CriuAvailability check(Path criu, Duration timeout) {
        try {
            Process p = new ProcessBuilder(criu.toString(), "check")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            // The output is small; read it on this thread, bounded by the process ending or being killed.
            Thread killer = Thread.ofVirtual().start(() -> {
                try {
                    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) p.destroyForcibly();
                } catch (InterruptedException ignored) {
                    p.destroyForcibly();
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            killer.interrupt();
            if (status == 0) return new CriuAvailability(true, null);
            return new CriuAvailability(false, "criu check failed (exit " + status + ")" + verdict(out));
        } catch (IOException e) {
            return new CriuAvailability(false, "cannot run " + criu + " check: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CriuAvailability(false, "interrupted while running criu check");
        }
    }

    /** For the coordinator: {@code available} or {@code unavailable: WHY}. */
    public String describe() {
        return available ? "available" : "unavailable: " + reason;
    }

    /** criu's first "Error" line, else its last line, clipped: {@code ": Error (criu/vdso.c:...): ..."}. */
    private static String verdict(String out) {
        List<String> lines =
                out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) return "";
        String line =
                lines.stream().filter(l -> l.startsWith("Error")).findFirst().orElse(lines.get(lines.size() - 1));
        return ": " + (line.length() > 300 ? line.substring(0, 297) + "..." : line);
    }
}
