package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's power supplies as the kernel lists them in {@code /sys/class/power_supply/NAME/}
 * ({@code type}: Mains, Battery, UPS, USB, Wireless; {@code online}; {@code status}: Charging,
 * Discharging, Not charging, Full; {@code capacity} in percent; {@code scope}).
 *
 * <p>On battery means: no external supply (Mains, USB-C, wireless charger) online, and a system
 * battery or UPS discharging. Batteries with {@code scope} Device are a wireless mouse's or
 * keyboard's own cells: they discharge all day and say nothing about the machine's power.
 */
final class PowerSupplies {

    /** What the supplies say now; {@code batteryPercent} null when there is no system battery. */
    record Reading(boolean onBattery, Integer batteryPercent, int supplies) {}

    private PowerSupplies() {}

    static Reading read(Path powerDir) throws IOException {
        boolean externalOnline = false;
        boolean discharging = false;
        List<Integer> capacities = new ArrayList<>();
        int supplies = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(powerDir)) {
            for (Path supply : dir) {
                String type = attribute(supply, "type");
                if (type == null || "Device".equals(attribute(supply, "scope"))) continue;
                supplies++;
                switch (type) {
                    case "Mains", "USB", "Wireless" -> externalOnline |= "1".equals(attribute(supply, "online"));
                    case "Battery", "UPS" -> {
                        discharging |= "Discharging".equals(attribute(supply, "status"));
                        String capacity = attribute(supply, "capacity");
                        if (type.equals("Battery") && capacity != null && capacity.matches("\\d+")) {
                            capacities.add(Integer.parseInt(capacity));
                        }
                    }
                    default -> {} // unknown types say nothing about mains
                }
            }
        }
        Integer percent = capacities.isEmpty()
                ? null
                : (int) Math.round(capacities.stream()
                        .mapToInt(Integer::intValue)
                        .average()
                        .orElseThrow());
        return new Reading(!externalOnline && discharging, percent, supplies);
    }

    /** An attribute's value, trimmed; null when the supply has no such attribute or it cannot be read. */
    private static String attribute(Path supply, String name) {
        try {
            return Files.readString(supply.resolve(name)).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
