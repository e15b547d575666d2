package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.gpu.DeskGpus;
import org.cyphon.agent.gpu.GpuSettings;
import org.cyphon.agent.gpu.JobProcesses;
import org.cyphon.agent.gpu.NvidiaSmi;
import org.cyphon.core.owner.ExclusiveAppsSeen;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.LoadSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.owner.PowerSeen;
import org.cyphon.core.owner.SessionsSeen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * All sensors started from one settings record: real /proc, a sysfs- and dev-shaped directory with
 * a FIFO standing in for a keyboard (this machine has none), and whatever this machine lacks (a
 * system bus, nvidia-smi) reported as such.
 */
class SensorsTest {

    @TempDir
    Path dir;

    private final List<OwnerSignal> signals = new CopyOnWriteArrayList<>();

    @Test
    void everySensorIsStartedOrSaysWhyNotAndOneCloseStopsThemAll() throws Exception {
        Path input = Files.createDirectories(dir.resolve("dev/input"));
        Path sysClass = Files.createDirectories(dir.resolve("sys/class"));
        Path power = Files.createDirectories(sysClass.resolve("power_supply"));
        Files.createDirectories(sysClass.resolve("input"));
        FifoInputDevice keyboard = FifoInputDevice.add(input, sysClass.resolve("input"), "event3", "at-keyboard");
        SensorSettings settings = new SensorSettings(
                input,
                true,
                true,
                true,
                "unix:path=" + dir.resolve("no-bus-here"),
                Path.of("/proc"),
                power,
                Duration.ofMillis(100),
                List.of("cyphon-test-no-such-app"),
                true);

        RunningSensors sensors = Sensors.start(
                settings,
                () -> 0.0,
                () -> false,
                Path.of("/sys/fs/cgroup"),
                null,
                DeskGpus.open(GpuSettings.defaults()),
                JobProcesses.NONE,
                null,
                signals::add,
                Clock.systemUTC());
        try {
            assertThat(sensors.states())
                    .extracting(SensorState::name)
                    .containsExactly("evdev", "x11", "logind", "utmp", "load", "power", "apps", "gpu");
            assertThat(state(sensors, "evdev")).isEqualTo(new SensorState("evdev", true, "ok"));
            assertThat(state(sensors, "logind").running())
                    .as("no bus at that address")
                    .isFalse();
            assertThat(state(sensors, "logind").status()).isNotBlank();
            if (NvidiaSmi.locate(System.getenv("PATH")).isEmpty()) {
                assertThat(state(sensors, "gpu")).isEqualTo(new SensorState("gpu", false, "no nvidia-smi"));
            }

            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> has(InputSeen.class, "evdev:" + keyboard.node)
                            && has(LoadSeen.class, "proc")
                            && has(PowerSeen.class, "power")
                            && has(ExclusiveAppsSeen.class, "apps")
                            && has(SessionsSeen.class, "utmp"));
        } finally {
            sensors.close();
            keyboard.close();
        }
        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive()
                                && (t.getName().startsWith("sensor-")
                                        || t.getName().startsWith("evdev-"))));
    }

    @Test
    void theFirstLookIsOverOnceEverySamplingSensorHasReportedItsFirstSample() throws Exception {
        SensorSettings settings = new SensorSettings(
                dir.resolve("input"),
                false,
                true,
                false,
                null,
                Path.of("/proc"),
                dir.resolve("power_supply"),
                // Long enough that only a first sample, taken at once, can have reported by the end.
                Duration.ofMinutes(10),
                List.of(),
                false);

        try (RunningSensors sensors = Sensors.start(
                settings,
                () -> 0.0,
                () -> false,
                Path.of("/sys/fs/cgroup"),
                null,
                DeskGpus.open(GpuSettings.defaults()),
                JobProcesses.NONE,
                null,
                signals::add,
                Clock.systemUTC())) {
            assertThat(sensors.awaitFirstLook(Duration.ofSeconds(60))).isTrue();
            assertThat(has(SessionsSeen.class, "utmp"))
                    .as("utmp's first sample reached the sink before the first look ended")
                    .isTrue();
        }
    }

    @Test
    void sensorsTurnedOffInTheSettingsAreListedAsOffAndNotStarted() {
        SensorSettings settings = new SensorSettings(
                dir.resolve("input"),
                false,
                false,
                false,
                null,
                Path.of("/proc"),
                dir.resolve("power_supply"),
                Duration.ofSeconds(1),
                List.of(),
                false);

        try (RunningSensors sensors = Sensors.start(
                settings,
                () -> 0.0,
                () -> false,
                Path.of("/sys/fs/cgroup"),
                null,
                DeskGpus.open(GpuSettings.defaults()),
                JobProcesses.NONE,
                null,
                signals::add,
                Clock.systemUTC())) {
            for (String off : List.of("evdev", "x11", "logind", "gpu")) {
                assertThat(state(sensors, off)).isEqualTo(new SensorState(off, false, "off in agent.toml"));
            }
            assertThat(state(sensors, "apps"))
                    .isEqualTo(new SensorState("apps", false, "no exclusive applications configured"));
            assertThat(state(sensors, "power").running()).isFalse();
            assertThat(state(sensors, "load").running()).isTrue();
        }
    }

    private static SensorState state(RunningSensors sensors, String name) {
        return sensors.states().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private boolean has(Class<? extends OwnerSignal> type, String source) {
        return signals.stream().anyMatch(s -> type.isInstance(s) && s.source().equals(source));
    }
}
