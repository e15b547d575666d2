package org.cyphon.agent.sensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cyphon.core.owner.PowerSeen;

/**
 * Mains or battery, from sysfs ({@link PowerSupplies}), every {@code sampleEvery}, as
 * {@code PowerSeen("power", ...)}. A desktop with no supplies listed is on mains with no battery.
 */
public final class PowerSensor extends SamplingSensor {

    private final Path powerDir;

    /** @param powerDir {@code /sys/class/power_supply} */
    public PowerSensor(Path powerDir, Duration sampleEvery, Clock clock) {
        super("power", sampleEvery, clock);
        this.powerDir = powerDir;
    }

    @Override
    protected String unavailable() {
        return Files.isDirectory(powerDir) ? null : "no " + powerDir + " (no sysfs power supply class)";
    }

    @Override
    protected List<PowerSeen> takeSample() {
        return List.of(sample(clock.instant()));
    }

    @Override
    protected String describe() {
        return powerDir + " every " + sampleEvery;
    }

    PowerSeen sample(Instant now) {
        try {
            PowerSupplies.Reading r = PowerSupplies.read(powerDir);
            return new PowerSeen("power", now, r.onBattery(), r.batteryPercent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
