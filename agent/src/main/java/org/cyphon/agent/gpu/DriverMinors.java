package org.cyphon.agent.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Which {@code /dev/nvidiaN} belongs to which GPU. The driver numbers its device nodes by its own
 * "device minor", which need not follow nvidia-smi's index; it tells it per GPU in
 * {@code /proc/driver/nvidia/gpus/DOMAIN:BUS:DEVICE.FUNCTION/information} ({@code Device Minor: 0}).
 */
final class DriverMinors {
    static final Path PROC_GPUS = Path.of("/proc/driver/nvidia/gpus");

    private DriverMinors() {}

    /** The minor of the GPU at {@code busId} (as nvidia-smi prints it); empty when the driver does not say. */
    static OptionalInt of(Path gpusDir, String busId) {
        String dir = procName(busId);
        if (dir == null) return OptionalInt.empty();
        try {
            return parse(Files.readString(gpusDir.resolve(dir).resolve("information")));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** The {@code Device Minor} line of an {@code information} file. */
    static OptionalInt parse(String information) {
        for (String line : information.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equals("Device Minor")) continue;
            try {
                return OptionalInt.of(Integer.parseInt(line.substring(colon + 1).strip()));
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }

    /**
     * nvidia-smi's {@code 00000000:0A:00.0} as the driver names its directory, {@code 0000:0a:00.0}
     * (a four-digit domain, lower case); null when it is not a PCI address.
     */
    static String procName(String busId) {
        if (busId == null) return null;
        String[] parts = busId.strip().toLowerCase(Locale.ROOT).split(":");
        if (parts.length != 3 || !parts[0].matches("[0-9a-f]{1,8}") || !parts[1].matches("[0-9a-f]{2}")) return null;
        if (!parts[2].matches("[0-9a-f]{2}\\.[0-7]")) return null;
        return String.format(Locale.ROOT, "%04x:%s:%s", Long.parseLong(parts[0], 16), parts[1], parts[2]);
    }
}
