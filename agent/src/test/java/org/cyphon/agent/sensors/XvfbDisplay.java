package org.cyphon.agent.sensors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real X server for tests: Xvfb on a free display, with access control on through an authority
 * file that the real {@code xauth} wrote. Clients (xdotool) are run with DISPLAY and XAUTHORITY set;
 * the code under test gets neither and must find them.
 */
public final class XvfbDisplay implements AutoCloseable {

    static final Path SOCKET_DIR = Path.of("/tmp/.X11-unix");

    final int number;
    final Path authority;
    final String cookieHex;
    private final Process server;
    private final boolean hidden;
    private final Path framebufferDir;

    private XvfbDisplay(
            int number, Path authority, String cookieHex, Process server, boolean hidden, Path framebufferDir) {
        this.framebufferDir = framebufferDir;
        this.number = number;
        this.authority = authority;
        this.cookieHex = cookieHex;
        this.server = server;
        this.hidden = hidden;
    }

    /**
     * Starts Xvfb with {@code -noreset}, so the server keeps its cookies when its last client leaves
     * (tests move the authority file away after start).
     */
    public static XvfbDisplay start(Path dir) throws IOException, InterruptedException {
        return start(dir, false, null);
    }

    /**
     * Like {@link #start(Path)}, and the screen is kept as an XWD image in {@code framebufferDir}
     * (Xvfb's {@code -fbdir}): {@link #screenFile()} is what a person would see, at every instant.
     */
    public static XvfbDisplay startWithFramebuffer(Path dir, Path framebufferDir)
            throws IOException, InterruptedException {
        return start(dir, false, framebufferDir);
    }

    /**
     * Starts Xvfb in its own mount namespace with a private {@code /tmp/.X11-unix} (util-linux
     * {@code unshare}), so its socket is not in this process's {@code /tmp/.X11-unix}: the situation
     * of an agent whose service unit has {@code PrivateTmp=}, seen from the other side. Clients
     * reach it by entering its namespace ({@code nsenter}).
     */
    static XvfbDisplay startHidden(Path dir) throws IOException, InterruptedException {
        return start(dir, true, null);
    }

    private static XvfbDisplay start(Path dir, boolean hidden, Path framebufferDir)
            throws IOException, InterruptedException {
        byte[] cookie = new byte[16];
        new SecureRandom().nextBytes(cookie);
        String hex = HexFormat.of().formatHex(cookie);
        for (int n = 100; n < 200; n++) {
            if (Files.exists(SOCKET_DIR.resolve("X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) continue;
            Path auth = dir.resolve("xvfb-" + n + ".auth");
            run(Map.of(), "xauth", "-f", auth.toString(), "add", ":" + n, "MIT-MAGIC-COOKIE-1", hex);
            List<String> command = new ArrayList<>();
            if (hidden)
                command.addAll(List.of(
                        "unshare",
                        "-m",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        "mount -t tmpfs none " + SOCKET_DIR + " && exec \"$0\" \"$@\""));
            command.addAll(List.of(
                    "Xvfb",
                    ":" + n,
                    "-auth",
                    auth.toString(),
                    "-nolisten",
                    "tcp",
                    "-noreset",
                    "-screen",
                    "0",
                    "640x480x24"));
            if (framebufferDir != null) command.addAll(List.of("-fbdir", framebufferDir.toString()));
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("xvfb-" + n + ".log").toFile())
                    .start();
            XvfbDisplay x = new XvfbDisplay(n, auth, hex, p, hidden, framebufferDir);
            try {
                // Ready, or dead (another server took the display meanwhile: try the next one).
                await().atMost(Duration.ofSeconds(10))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> !p.isAlive() || (Files.exists(x.socket()) && x.accessControlIsOn()));
                if (p.isAlive()) return x;
            } catch (ConditionTimeoutException notReady) {
                // not ready in 10 s: try the next display
            }
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        throw new IllegalStateException("no free display for Xvfb in :100..:199 (is package xvfb installed?)");
    }

    /**
     * Xvfb makes its socket before it loads the -auth file, and a server with no cookie loaded lets
     * every local client in: ready means a client without the cookie is refused and one with it is
     * served (both real libX11 clients).
     */
    private boolean accessControlIsOn() throws InterruptedException {
        try {
            run(Map.of("DISPLAY", ":" + number), inNamespace("xprintidle"));
            return false;
        } catch (IOException refusedWithoutCookie) {
            try {
                client("xprintidle");
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }
    }

    /** Runs an X client (xdotool, xprintidle) on this display with its cookie; returns its output. */
    public String client(String... command) throws IOException, InterruptedException {
        return run(Map.of("DISPLAY", ":" + number, "XAUTHORITY", authority.toString()), inNamespace(command));
    }

    /** DISPLAY and XAUTHORITY for a client of this display. */
    public Map<String, String> clientEnvironment() {
        return Map.of("DISPLAY", ":" + number, "XAUTHORITY", authority.toString());
    }

    /** The screen as an XWD image ({@link #startWithFramebuffer} only). */
    public Path screenFile() {
        return framebufferDir.resolve("Xvfb_screen0");
    }

    /** The server's socket, as this process reaches it. */
    Path socket() {
        return hidden
                ? Path.of("/proc", Long.toString(server.pid()), "root", "tmp", ".X11-unix", "X" + number)
                : SOCKET_DIR.resolve("X" + number);
    }

    private String[] inNamespace(String... command) {
        if (!hidden) return command;
        List<String> out = new ArrayList<>(List.of("nsenter", "-t", Long.toString(server.pid()), "-m"));
        out.addAll(List.of(command));
        return out.toArray(String[]::new);
    }

    static String run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("XAUTHORITY");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out.strip();
    }

    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
    }
}
