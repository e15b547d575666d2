package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cyphon.agent.sensors.LogindTestService.SessionSpec;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.owner.SessionInfo;
import org.cyphon.core.owner.SessionsSeen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The logind sensor against a real dbus-daemon on a private bus ({@link DBusPrivateBus}) where a
 * test logind written with dbus-java ({@link LogindTestService}) owns {@code org.freedesktop.login1}.
 * What is faked: logind itself, because this machine has no systemd. The bus, the sockets, the
 * wire format, the signals and the sensor are real.
 */
class LogindSensorTest {

    /** Safety re-read far beyond any test: whatever arrives promptly arrived through a signal. */
    private static final Duration SIGNALS_ONLY = Duration.ofHours(1);
    /** Safety re-read every 200 ms, for what only re-reading can find (inhibitors). */
    private static final Duration FAST_REREAD = Duration.ofMillis(20);
    /** A generous ceiling on "promptly", to survive a loaded CI machine; not a timing target. */
    private static final Duration AT_MOST = Duration.ofSeconds(20);

    private final List<OwnerSignal> received = new CopyOnWriteArrayList<>();
    private DBusPrivateBus bus;
    private LogindTestService logind;
    private LogindSensor sensor;

    @BeforeAll
    static void quietDBusJavasWireLog() {
        // Without a logback config dbus-java logs every message it marshals at DEBUG.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.freedesktop.dbus"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    @BeforeEach
    void startPrivateBus() throws Exception {
        bus = DBusPrivateBus.start();
    }

    @AfterEach
    void stopEverything() {
        try {
            if (sensor != null) {
                sensor.close();
            }
        } finally {
            try {
                if (logind != null) {
                    logind.close();
                }
            } finally {
                bus.close();
            }
        }
    }

    @Test
    void logindSensorReadsSessionsAndTheirKindsFromATestLogindOnAPrivateBus() throws Exception {
        logind = LogindTestService.startOn(bus.address());
        logind.addSession(SessionSpec.local("1", "alice", "x11", "gdm-password"));
        logind.addSession(SessionSpec.local("2", "bob", "wayland", "gdm-password"));
        logind.addSession(SessionSpec.remote("c3", "carol", "tty", "sshd", "laptop.example"));
        logind.addSession(SessionSpec.local("c4", "dave", "x11", "xrdp-sesman")); // xrdp: logind says Remote=no
        logind.addSession(SessionSpec.local("c5", "erin", "x11", "tigervnc"));
        logind.addSession(SessionSpec.local("c6", "frank", "tty", "login"));
        logind.addSession(SessionSpec.local("c7", "gdm", "wayland", "gdm-launch-environment")
                .withClass("greeter"));
        logind.addSession(
                SessionSpec.remote("c8", "gina", "tty", "sshd", "gone.example").withState("closing"));

        sensor = new LogindSensor(settings(bus.address(), SIGNALS_ONLY));
        boolean started = sensor.start(received::add);

        assertThat(started).isTrue();
        assertThat(sensor.status()).isEqualTo("ok");
        assertThat(sensor.name()).isEqualTo("logind");
        assertThat(received).hasSize(1);
        SessionsSeen seen = (SessionsSeen) received.get(0);
        assertThat(seen.source()).isEqualTo("logind");
        assertThat(seen.at()).isBetween(Instant.now().minus(AT_MOST), Instant.now());
        assertThat(seen.idleInhibitors()).isEmpty();
        assertThat(seen.sessions())
                .containsExactly(
                        new SessionInfo("1", "alice", "x11", false, true, false, null),
                        new SessionInfo("2", "bob", "wayland", false, true, false, null),
                        new SessionInfo("c3", "carol", "ssh", true, true, false, null),
                        new SessionInfo("c4", "dave", "rdp", true, true, false, null),
                        new SessionInfo("c5", "erin", "vnc", true, true, false, null),
                        new SessionInfo("c6", "frank", "tty", false, true, false, null));
    }

    @Test
    void logindSensorSendsTheIdleHintAsSoonAsTheTestLogindSignalsPropertiesChanged() throws Exception {
        logind = LogindTestService.startOn(bus.address());
        logind.addSession(SessionSpec.local("1", "alice", "wayland", "gdm-password"));
        sensor = new LogindSensor(settings(bus.address(), SIGNALS_ONLY));
        assertThat(sensor.start(received::add)).isTrue();
        assertThat(latest().sessions().get(0).idleHint()).isFalse();

        Instant since = Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.MICROS);
        logind.setIdleHint("1", true, since);

        await().atMost(AT_MOST).until(() -> received.size() == 2);
        SessionInfo alice = latest().sessions().get(0);
        assertThat(alice.idleHint()).isTrue();
        assertThat(alice.idleSince()).isEqualTo(since);

        logind.setIdleHint("1", false, since.plusSeconds(200));
        await().atMost(AT_MOST).until(() -> received.size() == 3);
        assertThat(latest().sessions().get(0).idleHint()).isFalse();
    }

    @Test
    void logindSensorSendsSessionsThatTheTestLogindAnnouncesWithSessionNewAndSessionRemoved() throws Exception {
        logind = LogindTestService.startOn(bus.address());
        logind.addSession(SessionSpec.local("1", "alice", "x11", "gdm-password"));
        sensor = new LogindSensor(settings(bus.address(), SIGNALS_ONLY));
        assertThat(sensor.start(received::add)).isTrue();

        logind.addSession(SessionSpec.remote("c2", "carol", "tty", "sshd", "laptop.example"));

        await().atMost(AT_MOST).until(() -> latest().sessions().size() == 2);
        assertThat(latest().sessions())
                .extracting(SessionInfo::id, SessionInfo::kind, SessionInfo::remote)
                .containsExactly(tuple("1", "x11", false), tuple("c2", "ssh", true));

        logind.removeSession("c2");

        await().atMost(AT_MOST).until(() -> latest().sessions().size() == 1);
        assertThat(latest().sessions()).extracting(SessionInfo::id).containsExactly("1");
    }

    @Test
    void logindSensorListsTheTestLogindsIdleInhibitorsButNotItsSleepOrShutdownOnes() throws Exception {
        logind = LogindTestService.startOn(bus.address());
        logind.addSession(SessionSpec.local("1", "alice", "x11", "gdm-password"));
        logind.holdInhibitor("idle", "mpv", "Playing video", "block");
        logind.holdInhibitor("sleep", "NetworkManager", "NetworkManager needs to turn off networks", "delay");
        logind.holdInhibitor("shutdown:sleep", "Unattended Upgrades Shutdown", "Stop ongoing upgrades", "delay");
        logind.holdInhibitor("handle-lid-switch", "gnome-settings-daemon", "External monitor attached", "block");
        logind.holdInhibitor("sleep:idle", "LibreOffice Impress", "Presenting", "block");

        sensor = new LogindSensor(settings(bus.address(), SIGNALS_ONLY));
        assertThat(sensor.start(received::add)).isTrue();

        assertThat(latest().idleInhibitors()).containsExactly("LibreOffice Impress", "mpv");
    }

    @Test
    void logindSensorFindsAnInhibitorTheTestLogindTookSilentlyOnItsSlowRereadAndRepeatsNothing() throws Exception {
        logind = LogindTestService.startOn(bus.address());
        logind.addSession(SessionSpec.local("1", "alice", "x11", "gdm-password"));
        sensor = new LogindSensor(settings(bus.address(), FAST_REREAD));
        assertThat(sensor.start(received::add)).isTrue();
        assertThat(latest().idleInhibitors()).isEmpty();

        logind.holdInhibitor("idle", "mpv", "Playing video", "block");

        await().atMost(AT_MOST).until(() -> received.size() == 2);
        assertThat(latest().idleInhibitors()).containsExactly("mpv");

        // Several more re-reads of an unchanged logind send nothing new.
        int listings = logind.inhibitorListings();
        await().atMost(AT_MOST).until(() -> logind.inhibitorListings() >= listings + 3);
        assertThat(received).hasSize(2);
    }

    @Test
    void logindSensorSaysNoSystemDBusWhenNoBusListensAtTheAddress() throws Exception {
        Path nowhere = Files.createTempDirectory("cyphon-no-bus-");
        try {
            sensor = new LogindSensor(settings("unix:path=" + nowhere.resolve("no-bus-here"), SIGNALS_ONLY));

            boolean started = sensor.start(received::add);

            assertThat(started).isFalse();
            assertThat(sensor.status()).startsWith("no system D-Bus at unix:path=" + nowhere);
            assertThat(sensor.status()).doesNotContain("\n");
            assertThat(received).isEmpty();
            sensor.close();
            sensor.close();
        } finally {
            Files.deleteIfExists(nowhere);
        }
    }

    @Test
    void logindSensorSaysLogindNotRunningOnAPrivateBusWithoutTheTestLogindAndStartsOnceItIsThere() throws Exception {
        sensor = new LogindSensor(settings(bus.address(), SIGNALS_ONLY));

        boolean started = sensor.start(received::add);

        assertThat(started).isFalse();
        assertThat(sensor.status()).startsWith("logind not running");
        assertThat(sensor.status()).contains("org.freedesktop.login1").doesNotContain("\n");
        assertThat(received).isEmpty();

        logind = LogindTestService.startOn(bus.address());
        logind.addSession(SessionSpec.local("1", "alice", "x11", "gdm-password"));

        assertThat(sensor.start(received::add)).isTrue();
        assertThat(sensor.status()).isEqualTo("ok");
        assertThat(latest().sessions()).extracting(SessionInfo::id).containsExactly("1");
    }

    @Test
    void logindSensorStaysOffWhenAgentTomlTurnsItOff() {
        SensorSettings on = settings(bus.address(), SIGNALS_ONLY);
        sensor = new LogindSensor(new SensorSettings(
                on.inputDir(),
                false,
                false,
                false,
                on.dbusAddress(),
                on.procDir(),
                on.powerDir(),
                on.sampleEvery(),
                List.of(),
                false));

        assertThat(sensor.start(received::add)).isFalse();
        assertThat(sensor.status()).contains("logind = false");
    }

    @Test
    void logindSensorRecoversWhenTheTestLogindRestartsAndWhenThePrivateBusRestarts() throws Exception {
        logind = LogindTestService.startOn(bus.address());
        logind.addSession(SessionSpec.local("1", "alice", "x11", "gdm-password"));
        sensor = new LogindSensor(settings(bus.address(), FAST_REREAD));
        assertThat(sensor.start(received::add)).isTrue();

        logind.close();
        await().atMost(AT_MOST).until(() -> sensor.status().startsWith("logind not running"));

        logind = LogindTestService.startOn(bus.address());
        logind.addSession(SessionSpec.local("2", "bob", "wayland", "gdm-password"));
        await().atMost(AT_MOST).until(() -> latest().sessions().stream().anyMatch(s -> s.id().equals("2")));
        assertThat(sensor.status()).isEqualTo("ok");

        // A new daemon on the same socket: the sensor's connection is dead and must be made anew.
        logind.close();
        logind = null;
        bus.restart();
        logind = LogindTestService.startOn(bus.address());
        logind.addSession(SessionSpec.remote("c3", "carol", "tty", "sshd", "laptop.example"));
        await().atMost(AT_MOST).until(() -> latest().sessions().stream().anyMatch(s -> s.id().equals("c3")));
        assertThat(sensor.status()).isEqualTo("ok");
    }

    private SessionsSeen latest() {
        return (SessionsSeen) received.get(received.size() - 1);
    }

    private static SensorSettings settings(String dbusAddress, Duration sampleEvery) {
        return new SensorSettings(
                Path.of("/dev/input"),
                false,
                false,
                true,
                dbusAddress,
                Path.of("/proc"),
                Path.of("/sys/class/power_supply"),
                sampleEvery,
                List.of(),
                false);
    }
}
