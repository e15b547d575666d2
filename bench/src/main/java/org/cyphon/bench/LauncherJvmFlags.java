package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags {@code ./cyphon} gives each sub-command, read from the script itself.
 *
 * <p>Why read them instead of copying them here: the agent's footprint figures (agent-idle) are
 * only honest if the benchmark runs the agent exactly as users do, and a copied flag list would
 * silently drift the day someone tunes the script. If the script's {@code case} line can no longer
 * be found, the benchmark fails loudly rather than measuring with different flags.
 */
final class LauncherJvmFlags {
    // e.g.:  agent) opts=(-XX:+UseSerialGC -Xmx64m) ;;     coordinator|up) opts=(-XX:+UseParallelGC) ;;
    private static final Pattern CASE_LINE = Pattern.compile("^\\s*([^()#]+)\\)\\s*opts=\\(([^)]*)\\)\\s*;;");

    private LauncherJvmFlags() {}

    /** The flags for {@code subcommand} (e.g. "agent", "coordinator"), from the script's case statement. */
    static List<String> forSubcommand(Path launcherScript, String subcommand) throws IOException {
        for (String line : Files.readAllLines(launcherScript)) {
            Matcher m = CASE_LINE.matcher(line);
            if (!m.find()) continue;
            List<String> patterns = Arrays.stream(m.group(1).split("\\|")).map(String::trim).toList();
            if (patterns.contains(subcommand)) {
                String flags = m.group(2).trim();
                return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
            }
        }
        throw new IOException("cannot find the JVM flags for '" + subcommand + "' in " + launcherScript
                + " (a line like `" + subcommand + ") opts=(...) ;;`); the benchmarks run cyphon with the same flags as the script");
    }
}
