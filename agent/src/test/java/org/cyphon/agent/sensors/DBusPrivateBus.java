package org.cyphon.agent.sensors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code dbus-daemon} running a private bus for one test, listening on a socket in its own
 * temporary directory (config: {@code src/test/resources/logind/private-bus.conf}). The machine has
 * no system bus — and a test must not touch one — so this is the bus the logind sensor talks to
 * (and the desk's sleep, org.cyphon.agent.power, and the cli's office tests).
 *
 * <p>{@link #close()} kills the daemon and deletes the directory; a JVM shutdown hook does the same
 * if the test run dies first, so no daemon outlives the build. Needs Debian's {@code dbus-daemon}.
 */
public final class DBusPrivateBus implements AutoCloseable {

    private static final long START_WAIT_SECONDS = 30;

    private final Path dir;
    private final Path socket;
    private final Thread cleanupAtExit = new Thread(this::stopAndDelete, "dbus-private-bus-cleanup");
    private Process daemon;

    private DBusPrivateBus(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("bus");
    }

    /** Starts a daemon and returns once it accepts connections. */
    public static DBusPrivateBus start() throws IOException {
        DBusPrivateBus bus = new DBusPrivateBus(Files.createTempDirectory("cyphon-dbus-"));
        Runtime.getRuntime().addShutdownHook(bus.cleanupAtExit);
        try {
            bus.launch();
            return bus;
        } catch (IOException | RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    /** {@code unix:path=...} of the bus. */
    public String address() {
        return "unix:path=" + socket;
    }

    /** Kills the daemon (every connection to it drops), then starts a new one on the same socket. */
    void restart() throws IOException {
        stopDaemon();
        launch();
    }

    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    private void launch() throws IOException {
        Files.deleteIfExists(socket);
        List<String> command = List.of(
                "dbus-daemon",
                "--nofork",
                "--nopidfile",
                "--nosyslog",
                "--config-file=" + configFile(dir),
                "--address=" + address(),
                "--print-address=1");
        try {
            daemon = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run dbus-daemon (Debian package dbus-daemon): " + e.getMessage(), e);
        }
        // dbus-daemon prints its address once it listens: that line is the "ready" signal.
        BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String printed;
        try {
            printed = firstLine.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            stopDaemon();
            throw new IOException("dbus-daemon did not start: " + e, e);
        }
        if (printed == null || !printed.startsWith("unix:path=" + socket)) {
            stopDaemon();
            throw new IOException("dbus-daemon did not start (printed " + printed + ")");
        }
    }

    private void stopDaemon() {
        Process running = daemon;
        daemon = null;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void stopAndDelete() {
        stopDaemon();
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover empty temp dir is harmless; the daemon is what must not leak
        }
    }

    /**
     * The bus's configuration, copied into its directory: the resource may sit in a jar (the agent's
     * test jar, when the cli's office tests start a bus), where dbus-daemon cannot read it.
     */
    private static Path configFile(Path dir) throws IOException {
        Path conf = dir.resolve("private-bus.conf");
        if (Files.exists(conf)) return conf;
        try (var in = DBusPrivateBus.class.getResourceAsStream("/logind/private-bus.conf")) {
            if (in == null) throw new IllegalStateException("test resource logind/private-bus.conf missing");
            Files.copy(in, conf);
        }
        return conf;
    }
}
