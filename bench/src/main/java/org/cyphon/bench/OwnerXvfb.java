package org.cyphon.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The owner's display: a real Xvfb with access control on (a cookie written by the real
 * {@code xauth} into the file named by Xvfb's {@code -auth}), standing in for the screen and
 * keyboard this machine lacks. The agent is told nothing about it: it finds the display and its
 * cookie by itself, as on a desk, so the benchmark measures the input path users get.
 */
final class OwnerXvfb implements AutoCloseable {
    static final Path SOCKET_DIR = Path.of("/tmp/.X11-unix");
    /** Far from the :100-:199 the end-to-end tests use, so a test running beside us keeps its display. */
    private static final int FIRST = 300, LAST = 399;

    private final int number;
    private final Path authority;
    private final byte[] cookie;
    private final Process server;

    private OwnerXvfb(int number, Path authority, byte[] cookie, Process server) {
        this.number = number;
        this.authority = authority;
        this.cookie = cookie;
        this.server = server;
    }

    static OwnerXvfb start(Path dir) throws IOException, InterruptedException {
        byte[] cookie = new byte[16];
        new SecureRandom().nextBytes(cookie);
        for (int n = FIRST; n <= LAST; n++) {
            if (Files.exists(SOCKET_DIR.resolve("X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) continue;
            Path auth = dir.resolve("xvfb-" + n + ".auth");
            run(
                    Map.of(),
                    "xauth",
                    "-f",
                    auth.toString(),
                    "add",
                    ":" + n,
                    "MIT-MAGIC-COOKIE-1",
                    HexFormat.of().formatHex(cookie));
            Process p = new ProcessBuilder(
                            "Xvfb",
                            ":" + n,
                            "-auth",
                            auth.toString(),
                            "-nolisten",
                            "tcp",
                            "-noreset",
                            "-screen",
                            "0",
                            "640x480x24")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("xvfb-" + n + ".log").toFile())
                    .start();
            OwnerXvfb x = new OwnerXvfb(n, auth, cookie, p);
            for (int i = 0; i < 200 && p.isAlive(); i++) {
                if (Files.exists(x.socket()) && x.answers()) return x;
                Thread.sleep(50);
            }
            x.close(); // lost a race for this number, or it failed: try the next one
        }
        throw new IOException("no free X display in :" + FIRST + "..:" + LAST + " for Xvfb (see the xvfb-*.log files)");
    }

    /** Xvfb makes its socket before it has read the -auth file; a client with the cookie served means ready. */
    private boolean answers() throws InterruptedException {
        try {
            client("xdotool", "getmouselocation");
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    int number() {
        return number;
    }

    Path socket() {
        return SOCKET_DIR.resolve("X" + number);
    }

    byte[] cookie() {
        return cookie.clone();
    }

    long pid() {
        return server.pid();
    }

    /** Runs an X client (xdotool) on this display with its cookie; returns its output. */
    String client(String... command) throws IOException, InterruptedException {
        return run(Map.of("DISPLAY", ":" + number, "XAUTHORITY", authority.toString()), command);
    }

    private static String run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("XAUTHORITY");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out.strip();
    }

    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
    }
}
