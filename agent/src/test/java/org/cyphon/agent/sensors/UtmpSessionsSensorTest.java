package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.owner.SessionInfo;
import org.cyphon.core.owner.SessionsSeen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions from utmp files in glibc's binary layout, written by the real {@code utmpdump -r}
 * (util-linux) from its text form, and remote-desktop clients of a real x11vnc.
 */
class UtmpSessionsSensorTest {

    private static final Path PROC = Path.of("/proc");

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void sshAndConsoleLoginsAreReadFromUtmpBytesAndStaleRecordsAreNot() throws Exception {
        long sshd = sleeper().pid();
        long login = sleeper().pid();
        long xterm = sleeper().pid();
        long mosh = sleeper().pid();
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path dev = Files.createDirectories(dir.resolve("dev/pts")).getParent();
        Instant sshTyped = Instant.now().minusSeconds(42).truncatedTo(ChronoUnit.MILLIS);
        Instant consoleTyped = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.MILLIS);
        terminal(dev.resolve("pts/0"), sshTyped);
        terminal(dev.resolve("tty1"), consoleTyped);
        Path utmp = utmpdump(
                record(7, sshd, "ts/0", "alice", "pts/0", "192.0.2.7", "2026-11-24T09:15:00,123456+00:00"),
                record(7, login, "tty1", "bob", "tty1", "", "2026-11-24T08:00:00,000000+00:00"),
                record(7, xterm, "ts/1", "bob", "pts/1", ":0", "2026-11-24T08:01:00,000000+00:00"),
                record(
                        7,
                        mosh,
                        "ts/2",
                        "carol",
                        "pts/2",
                        "198.51.100.4 via mosh [4242]",
                        "2026-11-24T08:02:00,000000+00:00"),
                record(8, 12000, "ts/3", "", "pts/3", "", "2026-11-24T07:00:00,000000+00:00"),
                record(7, ended.pid(), "ts/4", "dave", "pts/4", "203.0.113.9", "2026-11-24T07:30:00,000000+00:00"));

        SessionsSeen seen =
                new UtmpSessionsSensor(utmp, PROC, dev, Duration.ofSeconds(1), Clock.systemUTC()).sample(Instant.now());

        assertThat(seen.source()).isEqualTo("utmp");
        assertThat(seen.sessions())
                .filteredOn(s -> !s.kind().equals("vnc") && !s.kind().equals("rdp"))
                .containsExactly(
                        new SessionInfo("utmp:pts/0", "alice", "ssh", true, true, true, sshTyped),
                        new SessionInfo("utmp:tty1", "bob", "tty", false, true, true, consoleTyped),
                        new SessionInfo("utmp:pts/1", "bob", "other", false, true, false, null),
                        new SessionInfo("utmp:pts/2", "carol", "ssh", true, true, false, null));
        assertThat(seen.idleInhibitors()).isEmpty();
    }

    @Test
    void everyFieldOfARecordIsWhereGlibcPutsIt() throws Exception {
        Path utmp =
                utmpdump(record(7, 12345, "ts/0", "alice", "pts/0", "192.0.2.7", "2026-11-24T09:15:00,123456+00:00"));
        byte[] bytes = Files.readAllBytes(utmp);

        assertThat(bytes).hasSize(UtmpRecord.SIZE);
        assertThat(UtmpRecord.parseAll(bytes))
                .containsExactly(new UtmpRecord(
                        7, 12345, "pts/0", "ts/0", "alice", "192.0.2.7", Instant.parse("2026-11-24T09:15:00.123456Z")));
    }

    @Test
    void theRealUtmpAgreesWithWhoWhereThisMachineHasOne() throws Exception {
        Path real = Path.of("/var/run/utmp");
        UtmpSessionsSensor sensor =
                new UtmpSessionsSensor(real, PROC, Path.of("/dev"), Duration.ofSeconds(1), Clock.systemUTC());
        SessionsSeen seen = sensor.sample(Instant.now());
        if (Files.exists(real)) {
            TreeSet<String> lines = new TreeSet<>();
            for (UtmpRecord r : UtmpRecord.parseAll(Files.readAllBytes(real))) {
                if (r.type() == UtmpRecord.USER_PROCESS) lines.add(r.line());
            }
            TreeSet<String> whoLines = new TreeSet<>();
            for (String line : XvfbDisplay.run(Map.of(), "who").split("\n")) {
                if (!line.isBlank()) whoLines.add(line.trim().split("\\s+")[1]);
            }
            assertThat(lines).isEqualTo(whoLines);
            assertThat(sensor.status()).isEqualTo("ok");
        } else {
            // This build machine (a VM with no login service) has none.
            assertThat(sensor.status()).startsWith("no /var/run/utmp");
            assertThat(seen.sessions()).noneMatch(s -> s.id().startsWith("utmp:"));
        }
    }

    @Test
    void aClientConnectedToARealX11vncIsARemoteSessionAndAServerAloneIsNot() throws Exception {
        Path noUtmp = dir.resolve("utmp");
        UtmpSessionsSensor sensor = new UtmpSessionsSensor(noUtmp, PROC, dir, Duration.ofSeconds(1), Clock.systemUTC());
        try (XvfbDisplay x = XvfbDisplay.start(dir)) {
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            started.add(new ProcessBuilder(
                            "x11vnc",
                            "-display",
                            ":" + x.number,
                            "-auth",
                            x.authority.toString(),
                            "-rfbport",
                            Integer.toString(port),
                            "-localhost",
                            "-forever",
                            "-shared",
                            "-nopw",
                            "-quiet")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("x11vnc.log").toFile())
                    .start());
            await().atMost(60, TimeUnit.SECONDS).until(() -> listening(port));
            assertThat(vnc(sensor)).as("a server with no client").isEmpty();

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                InputStream in = client.getInputStream();
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII))
                        .startsWith("RFB 003.");

                List<SessionInfo> sessions = vnc(sensor);
                assertThat(sessions).hasSize(1);
                assertThat(sessions.getFirst())
                        .extracting(SessionInfo::user, SessionInfo::remote, SessionInfo::idleHint)
                        .containsExactly("root", true, false);
            }
            await().atMost(60, TimeUnit.SECONDS).until(() -> vnc(sensor).isEmpty());
        }
    }

    private static List<SessionInfo> vnc(UtmpSessionsSensor sensor) {
        return sensor.sample(Instant.now()).sessions().stream()
                .filter(s -> s.kind().equals("vnc"))
                .toList();
    }

    /** A LISTEN line for the port in this namespace's TCP table, read here independently. */
    private static boolean listening(int port) throws Exception {
        String hexPort = String.format(":%04X ", port);
        return Files.readAllLines(PROC.resolve("net/tcp")).stream()
                .anyMatch(l -> l.trim().split("\\s+")[1].endsWith(hexPort.trim())
                        && l.trim().split("\\s+")[3].equals("0A"));
    }

    private Process sleeper() throws Exception {
        Process p = new ProcessBuilder("sleep", "300").start();
        started.add(p);
        return p;
    }

    private static void terminal(Path device, Instant lastTyped) throws Exception {
        Files.createDirectories(device.getParent());
        Files.createFile(device);
        Files.setAttribute(device, "lastAccessTime", FileTime.from(lastTyped));
    }

    /** One line of utmpdump's text form: [type] [pid] [id] [user] [line] [host] [addr] [time]. */
    private static String record(int type, long pid, String id, String user, String line, String host, String time) {
        return "[%d] [%05d] [%-4s] [%-8s] [%-12s] [%-20s] [%-15s] [%s]"
                .formatted(type, pid, id, user, line, host, "0.0.0.0", time);
    }

    private Path utmpdump(String... lines) throws Exception {
        Path text = dir.resolve("utmp.txt");
        Path binary = dir.resolve("utmp-" + System.nanoTime());
        Files.writeString(text, String.join("\n", lines) + "\n");
        Process p = new ProcessBuilder("utmpdump", "-r")
                .redirectInput(text.toFile())
                .redirectOutput(binary.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor()).as("utmpdump -r (util-linux)").isZero();
        return binary;
    }
}
