package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The X11 idle sensor against a real Xvfb with access control on, on the real /tmp/.X11-unix and
 * the real /proc. The sensor is given neither DISPLAY nor XAUTHORITY: it must find both.
 */
class X11IdleSensorTest {

    private static final Path PROC = Path.of("/proc");
    private static final Duration SAMPLE = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private final List<OwnerSignal> signals = new CopyOnWriteArrayList<>();

    @Test
    void x11SensorFindsXvfbAndItsAuthorityAndSeesXdotoolInput() throws Exception {
        try (XvfbDisplay x = XvfbDisplay.start(dir);
                X11IdleSensor sensor = new X11IdleSensor(XvfbDisplay.SOCKET_DIR, PROC, SAMPLE, Clock.systemUTC())) {
            String source = "x11::" + x.number;
            assertThat(sensor.start(signals::add)).isTrue();

            // Nobody has touched this display since it started: its idle time grows past a second.
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> latest(source) != null
                            && latest(source)
                                    .lastInput()
                                    .isBefore(latest(source).at().minusSeconds(1)));
            Instant beforeInput = Instant.now();

            x.client("xdotool", "mousemove", "17", "23");
            x.client("xdotool", "key", "a");

            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> latest(source).at().isAfter(beforeInput)
                            && !latest(source).lastInput().isBefore(beforeInput.minusMillis(100)));
            assertThat(sensor.status()).doesNotContain(":" + x.number + " ");
        }
    }

    @Test
    void x11SensorFindsTheCookieInASessionProcessEnvironmentWhenTheServersAuthFileIsGone() throws Exception {
        try (XvfbDisplay x = XvfbDisplay.start(dir);
                X11IdleSensor sensor = new X11IdleSensor(XvfbDisplay.SOCKET_DIR, PROC, SAMPLE, Clock.systemUTC())) {
            String source = "x11::" + x.number;
            // Where -auth points there is nothing now; the cookie lives on in another file only.
            Path sessionAuthority = dir.resolve("session.Xauthority");
            Files.move(x.authority, sessionAuthority);

            sensor.start(signals::add);
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> sensor.status().contains(":" + x.number + " refused a connection without a cookie"));
            assertThat(latest(source)).isNull();

            // A session process of that display, as a desktop session has dozens of.
            ProcessBuilder session = new ProcessBuilder("sleep", "300");
            session.environment().put("DISPLAY", ":" + x.number + ".0");
            session.environment().put("XAUTHORITY", sessionAuthority.toString());
            Process p = session.start();
            try {
                await().atMost(60, TimeUnit.SECONDS).until(() -> latest(source) != null);
                assertThat(latest(source).lastInput()).isBefore(latest(source).at());
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
    }

    @Test
    void x11SensorReachesAServerWhoseSocketItsOwnTmpDoesNotShowThroughProcRoot() throws Exception {
        try (XvfbDisplay x = XvfbDisplay.startHidden(dir);
                X11IdleSensor sensor = new X11IdleSensor(XvfbDisplay.SOCKET_DIR, PROC, SAMPLE, Clock.systemUTC())) {
            String source = "x11::" + x.number;
            assertThat(XvfbDisplay.SOCKET_DIR.resolve("X" + x.number))
                    .as("hidden from this process")
                    .doesNotExist();
            sensor.start(signals::add);

            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> latest(source) != null
                            && latest(source)
                                    .lastInput()
                                    .isBefore(latest(source).at().minusSeconds(1)));
            Instant beforeInput = Instant.now();
            x.client("xdotool", "key", "space");

            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> latest(source).at().isAfter(beforeInput)
                            && !latest(source).lastInput().isBefore(beforeInput.minusMillis(100)));
        }
    }

    @Test
    void x11InputReachesTheSinkAsAnEventWithoutWaitingForTheNextSample() throws Exception {
        // Sampled once at start, then not for an hour: whatever arrives after that came as an event.
        try (XvfbDisplay x = XvfbDisplay.start(dir);
                X11IdleSensor sensor =
                        new X11IdleSensor(XvfbDisplay.SOCKET_DIR, PROC, Duration.ofHours(1), Clock.systemUTC())) {
            String source = "x11::" + x.number;
            sensor.start(signals::add);
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> latest(source) != null && sensor.status().equals("ok"));
            int sampled = signals.size();

            for (int i = 0; i < 3; i++) {
                Instant beforeInput = Instant.now();
                x.client(
                        i % 2 == 0
                                ? new String[] {"xdotool", "key", "b"}
                                : new String[] {"xdotool", "mousemove_relative", "4", "4"});
                await().atMost(5, TimeUnit.SECONDS)
                        .until(() -> latest(source).lastInput().isAfter(beforeInput));
                // One key press or move is a handful of raw events; the rate limit lets one through.
                // Not a wait for a state: the typist's pace, so that the inputs are separate ones.
                Thread.sleep(X11InputListener.QUIET.toMillis() * 2);
            }
            assertThat(signals.size() - sampled)
                    .as("signals from three separate inputs")
                    .isBetween(3, 6);
        }
    }

    @Test
    void whileTheDisplaySendsInputEventsItsIdleTimeIsSampledTenTimesLessOften() throws Exception {
        try (XvfbDisplay x = XvfbDisplay.start(dir);
                X11IdleSensor sensor = new X11IdleSensor(XvfbDisplay.SOCKET_DIR, PROC, SAMPLE, Clock.systemUTC())) {
            String source = "x11::" + x.number;
            sensor.start(signals::add);
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> latest(source) != null && sensor.status().equals("ok"));
            // Not waits for a state: the sample rate is what is measured, over real time (the pause
            // already begun at the fast rate ends first, then three seconds are counted).
            Thread.sleep(SAMPLE.toMillis() * X11IdleSensor.SLOWDOWN_WITH_EVENTS);
            long before = count(source);
            Thread.sleep(3_000);
            // Every 100 ms would be 30 samples; every second is 3 (4 with the edges). Only this
            // display's: the sensor reads every display on the machine.
            assertThat(count(source) - before).isBetween(2L, 5L);
        }
    }

    @Test
    void withNoDisplayTheSensorStartsAndSaysSo() throws Exception {
        Path noSockets = Files.createDirectory(dir.resolve("x11-unix"));
        Path procWithoutServers = Files.createDirectory(dir.resolve("proc"));
        try (X11IdleSensor sensor = new X11IdleSensor(noSockets, procWithoutServers, SAMPLE, Clock.systemUTC())) {
            assertThat(sensor.start(signals::add)).isTrue();
            await().atMost(30, TimeUnit.SECONDS).until(() -> sensor.status().startsWith("no X display"));
            assertThat(signals).isEmpty();
        }
    }

    private long count(String source) {
        return signals.stream()
                .filter(s -> s instanceof InputSeen in && in.source().equals(source))
                .count();
    }

    private InputSeen latest(String source) {
        InputSeen last = null;
        for (OwnerSignal s : signals) {
            if (s instanceof InputSeen in && in.source().equals(source)) last = in;
        }
        return last;
    }
}
