package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.owner.PowerSeen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power from a directory shaped like sysfs: the supplies live under {@code devices/...} and
 * {@code class/power_supply/NAME} are symlinks to them, as the kernel lays them out.
 */
class PowerSensorTest {

    @TempDir
    Path sys;

    private Path powerDir;

    @Test
    void aLaptopIsOnBatteryWhenMainsGoesOfflineAndTheBatteryDischarges() throws Exception {
        supply("LNXSYSTM:00/LNXSYBUS:00/ACPI0003:00/power_supply/AC", "type", "Mains", "online", "1");
        supply(
                "LNXSYSTM:00/LNXSYBUS:00/PNP0C0A:00/power_supply/BAT0",
                "type",
                "Battery",
                "status",
                "Charging",
                "capacity",
                "87",
                "scope",
                "System");
        PowerSensor sensor = new PowerSensor(powerDir, Duration.ofSeconds(1), Clock.systemUTC());

        assertThat(sensor.sample(Instant.now()))
                .extracting(PowerSeen::onBattery, PowerSeen::batteryPercent)
                .containsExactly(false, 87);

        write("AC", "online", "0");
        write("BAT0", "status", "Discharging");
        write("BAT0", "capacity", "86");
        assertThat(sensor.sample(Instant.now()))
                .extracting(PowerSeen::onBattery, PowerSeen::batteryPercent)
                .containsExactly(true, 86);
    }

    @Test
    void aWirelessMouseBatteryDoesNotPutADesktopOnBattery() throws Exception {
        supply(
                "pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.2/0003:046D:C52B.0003/0003:046D:4082.0004/power_supply/hidpp_battery_0",
                "type",
                "Battery",
                "status",
                "Discharging",
                "capacity",
                "40",
                "scope",
                "Device",
                "online",
                "1");

        PowerSeen seen = new PowerSensor(powerDir, Duration.ofSeconds(1), Clock.systemUTC()).sample(Instant.now());

        assertThat(seen.onBattery()).isFalse();
        assertThat(seen.batteryPercent()).isNull();
    }

    @Test
    void aUsbCChargerCountsAsMainsAndTwoBatteriesAreAveraged() throws Exception {
        supply("LNXSYSTM:00/LNXSYBUS:00/ACPI0003:00/power_supply/AC", "type", "Mains", "online", "0");
        supply("pci0000:00/USBC000:00/power_supply/ucsi-source-psy-USBC000:001", "type", "USB", "online", "1");
        supply(
                "LNXSYSTM:00/LNXSYBUS:00/PNP0C0A:00/power_supply/BAT0",
                "type",
                "Battery",
                "status",
                "Discharging",
                "capacity",
                "80");
        supply(
                "LNXSYSTM:00/LNXSYBUS:00/PNP0C0A:01/power_supply/BAT1",
                "type",
                "Battery",
                "status",
                "Discharging",
                "capacity",
                "40");

        PowerSeen seen = new PowerSensor(powerDir, Duration.ofSeconds(1), Clock.systemUTC()).sample(Instant.now());

        assertThat(seen.onBattery()).isFalse(); // a dock's USB-C supply is online; the batteries may still drain
        assertThat(seen.batteryPercent()).isEqualTo(60);
    }

    @Test
    void aDesktopOnADischargingUpsIsOnBattery() throws Exception {
        supply(
                "pci0000:00/0000:00:14.0/usb1/1-4/1-4:1.0/0003:051D:0002.0001/power_supply/hid-3B1234X56789-battery",
                "type",
                "UPS",
                "status",
                "Discharging",
                "online",
                "0");

        PowerSeen seen = new PowerSensor(powerDir, Duration.ofSeconds(1), Clock.systemUTC()).sample(Instant.now());

        assertThat(seen.onBattery()).isTrue();
        assertThat(seen.batteryPercent()).isNull();
    }

    @Test
    void theSensorReportsEveryIntervalAndThisMachinesRealSysfsIfItHasOne() throws Exception {
        supply("LNXSYSTM:00/LNXSYBUS:00/ACPI0003:00/power_supply/AC", "type", "Mains", "online", "1");
        List<OwnerSignal> signals = new CopyOnWriteArrayList<>();
        try (PowerSensor sensor = new PowerSensor(powerDir, Duration.ofMillis(50), Clock.systemUTC())) {
            assertThat(sensor.start(signals::add)).isTrue();
            await().atMost(10, TimeUnit.SECONDS).until(() -> signals.size() >= 2);
            assertThat(signals).allMatch(s -> s.equals(new PowerSeen("power", s.at(), false, null)));
            assertThat(sensor.status()).isEqualTo("ok");
        }
        // This build machine (a VM) lists no supplies at all: on mains, no battery.
        Path real = Path.of("/sys/class/power_supply");
        try (PowerSensor sensor = new PowerSensor(real, Duration.ofSeconds(1), Clock.systemUTC())) {
            assertThat(sensor.start(s -> {})).isEqualTo(Files.isDirectory(real));
            if (Files.isDirectory(real))
                assertThat(sensor.sample(Instant.now()).source()).isEqualTo("power");
        }
    }

    @Test
    void withoutThePowerSupplyClassTheSensorDoesNotStart() {
        PowerSensor sensor =
                new PowerSensor(sys.resolve("class/power_supply"), Duration.ofSeconds(1), Clock.systemUTC());
        assertThat(sensor.start(s -> {})).isFalse();
        assertThat(sensor.status()).startsWith("no ");
    }

    /** A supply under devices/, linked from class/power_supply/NAME as sysfs does. */
    private void supply(String devicePath, String... attributes) throws IOException {
        powerDir = Files.createDirectories(sys.resolve("class/power_supply"));
        Path device = Files.createDirectories(sys.resolve("devices").resolve(devicePath));
        for (int i = 0; i < attributes.length; i += 2)
            Files.writeString(device.resolve(attributes[i]), attributes[i + 1] + "\n");
        Files.createSymbolicLink(powerDir.resolve(device.getFileName()), powerDir.relativize(device));
    }

    private void write(String supply, String attribute, String value) throws IOException {
        Files.writeString(powerDir.resolve(supply).resolve(attribute), value + "\n");
    }
}
