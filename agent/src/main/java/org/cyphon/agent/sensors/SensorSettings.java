package org.cyphon.agent.sensors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code [sensors]} section of {@code agent.toml}. Paths are parameters so tests can feed real
 * data (real {@code input_event} bytes, copies of real /proc files) to the real code.
 *
 * @param inputDir        where evdev devices appear ({@code /dev/input}); watched for new devices
 * @param x11             look for X displays and ask their XScreenSaver idle time
 * @param logind          watch systemd-logind sessions, idle hints and inhibitors over D-Bus
 * @param dbusAddress     D-Bus address to use instead of the system bus (null: system bus)
 * @param procDir         {@code /proc}: CPU, pressure, processes, sessions
 * @param powerDir        {@code /sys/class/power_supply}
 * @param sampleEvery     interval of sampling sensors (load, power, exclusive apps, GPU, X11 idle)
 * @param exclusiveApps   process names that mean "hands off" (games, video calls)
 * @param gpu             ask {@code nvidia-smi} for GPU use when it exists
 */
public record SensorSettings(
        Path inputDir,
        boolean evdev,
        boolean x11,
        boolean logind,
        String dbusAddress,
        Path procDir,
        Path powerDir,
        Duration sampleEvery,
        List<String> exclusiveApps,
        boolean gpu) {

    public SensorSettings {
        exclusiveApps = List.copyOf(exclusiveApps);
    }

    public static SensorSettings defaults() {
        return new SensorSettings(
                Path.of("/dev/input"),
                true,
                true,
                true,
                null,
                Path.of("/proc"),
                Path.of("/sys/class/power_supply"),
                Duration.ofSeconds(1),
                List.of(),
                true);
    }
}
