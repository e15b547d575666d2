package org.cyphon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVM flags {@code ./cyphon} gives each sub-command, asked of the script itself
 * ({@code CYPHON_PRINT_JVM_FLAGS=1 ./cyphon SUBCOMMAND} prints them, one a line, and exits).
 *
 * <p>Why ask instead of copying them here: the agent's footprint figures (agent-idle) are only
 * honest if the benchmark runs the agent exactly as users do, and a copied flag list would silently
 * drift the day someone tunes the script; the script also adds flags only some JDKs know.
 */
final class LauncherJvmFlags {

    private LauncherJvmFlags() {}

    /** The flags for {@code subcommand} (e.g. "agent", "coordinator"). */
    static List<String> forSubcommand(Path launcherScript, String subcommand) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(launcherScript.toString(), subcommand)
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("CYPHON_PRINT_JVM_FLAGS", "1");
        pb.environment().remove("CYPHON_JAVA_OPTS"); // those are added separately, after these
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(launcherScript + " did not print its JVM flags for '" + subcommand + "' (exit "
                        + (p.isAlive() ? "none: still running" : p.exitValue()) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
