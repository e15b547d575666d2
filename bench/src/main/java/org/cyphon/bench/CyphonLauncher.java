package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command line that starts the packaged {@code cyphon.jar} the way {@code ./cyphon}
 * does (same JDK as this benchmark, same per-command JVM flags, {@code CYPHON_JAVA_OPTS} appended),
 * so the processes we measure are the ones users run.
 */
final class CyphonLauncher {
    private final Path home;

    private CyphonLauncher(Path home) {
        this.home = home;
    }

    /** The checkout bench/run was started from (it passes {@code -Dcyphon.home}). */
    static CyphonLauncher fromSystemProperty() throws IOException {
        String h = System.getProperty("cyphon.home");
        if (h == null) throw new IOException("system property cyphon.home is not set; start benchmarks with bench/run");
        CyphonLauncher l = new CyphonLauncher(Path.of(h).toAbsolutePath().normalize());
        if (!Files.isRegularFile(l.jar()))
            throw new IOException(l.jar() + " is missing; build with ./mvnw -B -q -DskipTests -pl bench -am package");
        return l;
    }

    Path home() {
        return home;
    }

    Path jar() {
        return home.resolve("cli/target/cyphon.jar");
    }

    Path script() {
        return home.resolve("cyphon");
    }

    /** The JDK running this benchmark: bench/run found it with the same bin/find-jdk.sh as ./cyphon. */
    static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    List<String> jvmFlags(String subcommand) throws IOException {
        List<String> flags = new ArrayList<>(LauncherJvmFlags.forSubcommand(script(), subcommand));
        String extra = System.getenv("CYPHON_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) flags.addAll(List.of(extra.trim().split("\\s+")));
        return flags;
    }

    /** {@code java <flags of subcommand> <extraJvmFlags> -jar cyphon.jar <subcommand> <args>}. */
    List<String> command(String subcommand, List<String> extraJvmFlags, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmFlags(subcommand));
        cmd.addAll(extraJvmFlags);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.add(subcommand);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
