package org.cyphon.agent.sensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.owner.PowerSeen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mains or battery, from sysfs ({@link PowerSupplies}), every {@code sampleEvery}, as
 * {@code PowerSeen("power", ...)}. A desktop with no supplies listed is on mains with no battery.
 */
public final class PowerSensor implements Sensor {

    private static final Logger log = LoggerFactory.getLogger(PowerSensor.class);

    private final Path powerDir;
    private final Duration sampleEvery;
    private final Clock clock;
    private SamplingLoop loop;
    private volatile String status = "not started";

    /** @param powerDir {@code /sys/class/power_supply} */
    public PowerSensor(Path powerDir, Duration sampleEvery, Clock clock) {
        this.powerDir = powerDir;
        this.sampleEvery = sampleEvery;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "power";
    }

    @Override
    public synchronized boolean start(Consumer<OwnerSignal> sink) {
        if (loop != null) return true;
        if (!Files.isDirectory(powerDir)) {
            status = "no " + powerDir + " (no sysfs power supply class)";
            log.info("sensor power unavailable: {}", status);
            return false;
        }
        status = "ok";
        loop = SamplingLoop.start(name(), sampleEvery, () -> List.of(sample(clock.instant())), sink);
        log.info("sensor power started on {}", powerDir);
        return true;
    }

    @Override
    public String status() {
        return status;
    }

    PowerSeen sample(Instant now) {
        try {
            PowerSupplies.Reading r = PowerSupplies.read(powerDir);
            return new PowerSeen("power", now, r.onBattery(), r.batteryPercent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        SamplingLoop running;
        synchronized (this) {
            running = loop;
            loop = null;
        }
        if (running == null) return;
        running.close();
        status = "stopped";
        log.info("sensor power stopped");
    }
}
