package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the X displays of the people at this desk, and the cookies that open them, with no help
 * from anyone: the agent is a system service, started with no DISPLAY and no XAUTHORITY (the
 * "could not connect to any DISPLAY" that other idle detectors fail with).
 *
 * <ul>
 *   <li>Displays: the sockets {@code /tmp/.X11-unix/XN}, and the X server processes (Xorg, Xvfb,
 *       Xvnc, ...) with a {@code :N} argument, whose own /tmp is reached through
 *       {@code /proc/PID/root} when the agent's /tmp is private.</li>
 *   <li>Cookies, in the order tried: the file after the server's {@code -auth} (where display
 *       managers put it: gdm, lightdm, sddm, xinit); then the {@code XAUTHORITY} (or
 *       {@code $HOME/.Xauthority}) of every process whose {@code DISPLAY} is that display.</li>
 * </ul>
 */
final class X11DisplayFinder {

    private static final Pattern SOCKET = Pattern.compile("X(\\d+)");
    private static final Pattern DISPLAY_ARG = Pattern.compile(":(\\d+)");
    /** Local DISPLAY values; {@code localhost:10.0} is an SSH-forwarded display, not this desk's. */
    private static final Pattern LOCAL_DISPLAY = Pattern.compile("(?:unix)?:(\\d+)(?:\\.\\d+)?");

    private static final Set<String> X_SERVERS =
            Set.of("X", "Xorg", "Xorg.bin", "Xvfb", "Xwayland", "Xvnc", "Xtigervnc", "Xephyr", "Xnest", "Xdummy");

    /** An X server process and what its command line says. */
    record XServer(long pid, int display, String program, String authFile) {
        /** Xwayland sees only input given to X windows, not to Wayland ones: its idle time lies. */
        boolean isXwayland() {
            return program.equals("Xwayland");
        }
    }

    /** A cookie and the file it came from (for the status line). */
    record Cookie(byte[] data, Path from) {}

    /** How to reach one display. */
    record Display(int number, Path socket, List<Cookie> cookies, boolean xwayland, List<Path> authorityFiles) {}

    private final Path socketDir;
    private final Path procDir;
    private final String hostname;

    /**
     * @param socketDir {@code /tmp/.X11-unix}
     * @param procDir   {@code /proc}
     * @param hostname  this host's name, as X authority entries for local connections carry it
     */
    X11DisplayFinder(Path socketDir, Path procDir, String hostname) {
        this.socketDir = socketDir;
        this.procDir = procDir;
        this.hostname = hostname;
    }

    /** Display numbers that have a socket in the socket directory; cheap enough for every sample. */
    SortedSet<Integer> socketDisplays() {
        SortedSet<Integer> out = new TreeSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(socketDir)) {
            for (Path p : dir) {
                Matcher m = SOCKET.matcher(p.getFileName().toString());
                if (m.matches()) out.add(Integer.parseInt(m.group(1)));
            }
        } catch (IOException e) {
            // No socket directory: none here (maybe a private /tmp; the servers tell then).
        }
        return out;
    }

    /** The X server processes running now; reads every process's command line. */
    List<XServer> servers() {
        List<XServer> out = new ArrayList<>();
        for (long pid : ProcessFiles.pids(procDir)) {
            List<String> argv = ProcessFiles.argv(procDir, pid);
            if (argv.isEmpty()) continue;
            String program = ProcessFiles.basename(argv.get(0));
            if (!X_SERVERS.contains(program)) continue;
            Integer display = null;
            String auth = null;
            for (int i = 1; i < argv.size(); i++) {
                if (display == null && DISPLAY_ARG.matcher(argv.get(i)).matches())
                    display = Integer.parseInt(argv.get(i).substring(1));
                if (argv.get(i).equals("-auth") && i + 1 < argv.size()) auth = argv.get(i + 1);
            }
            if (display != null) out.add(new XServer(pid, display, program, auth));
        }
        return out;
    }

    /**
     * Everything needed to connect to display {@code number}; reads the environment of every
     * process, so call it when (re)connecting, not every sample.
     *
     * @return empty when no socket of that display can be reached
     */
    Optional<Display> locate(int number, List<XServer> servers) {
        List<XServer> mine = servers.stream().filter(s -> s.display() == number).toList();
        Path socket = socketDir.resolve("X" + number);
        if (!Files.exists(socket)) {
            socket = mine.stream()
                    .map(s -> ProcessFiles.seenBy(
                            procDir, s.pid(), socketDir.resolve("X" + number).toString()))
                    .filter(Files::exists)
                    .findFirst()
                    .orElse(null);
        }
        if (socket == null) return Optional.empty();

        Set<Path> files = new LinkedHashSet<>();
        for (XServer s : mine) {
            if (s.authFile() != null) files.add(reachable(s.pid(), s.authFile()));
        }
        for (long pid : ProcessFiles.pids(procDir)) {
            Map<String, String> env = ProcessFiles.environ(procDir, pid);
            String display = env.get("DISPLAY");
            if (display == null) continue;
            Matcher m = LOCAL_DISPLAY.matcher(display);
            if (!m.matches() || Integer.parseInt(m.group(1)) != number) continue;
            String xauthority = env.get("XAUTHORITY");
            if (xauthority == null && env.get("HOME") != null) xauthority = env.get("HOME") + "/.Xauthority";
            if (xauthority != null && xauthority.startsWith("/")) files.add(reachable(pid, xauthority));
        }

        List<Cookie> cookies = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Path file : files) {
            try {
                for (byte[] c : XAuthority.localCookies(XAuthority.read(file), number, hostname)) {
                    if (seen.add(HexFormat.of().formatHex(c))) cookies.add(new Cookie(c, file));
                }
            } catch (IOException e) {
                // Gone or unreadable: the next file may do.
            }
        }
        boolean xwayland = !mine.isEmpty() && mine.stream().allMatch(XServer::isXwayland);
        return Optional.of(new Display(number, socket, cookies, xwayland, List.copyOf(files)));
    }

    /** The path itself when the agent can read it, else as the process sees it through its root. */
    private Path reachable(long pid, String absolutePath) {
        Path direct = Path.of(absolutePath);
        if (Files.isReadable(direct)) return direct;
        Path viaRoot = ProcessFiles.seenBy(procDir, pid, absolutePath);
        return Files.isReadable(viaRoot) ? viaRoot : direct;
    }
}
