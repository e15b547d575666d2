package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's disks as {@code MAJ:MIN}, for the per-device I/O throttle files (v1
 * {@code blkio.throttle.*_bps_device}, v2 {@code io.max}), which take whole devices, not partitions.
 *
 * <p>From {@code /sys/block}: every entry with a {@code dev} number and a non-zero size, except
 * loop, RAM and zram devices, whose I/O is memory traffic the memory limit already governs.
 */
final class BlockDevices {
    private static final List<String> SKIPPED = List.of("loop", "ram", "zram");

    private BlockDevices() {}

    static List<String> majorMinors(Path sysBlock) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(sysBlock)) {
            for (Path dev : entries) {
                String name = dev.getFileName().toString();
                if (SKIPPED.stream().anyMatch(name::startsWith)) continue;
                try {
                    String number = Files.readString(dev.resolve("dev")).strip();
                    long sectors =
                            Long.parseLong(Files.readString(dev.resolve("size")).strip());
                    if (sectors > 0 && number.matches("\\d+:\\d+")) out.add(number);
                } catch (IOException | NumberFormatException e) {
                    // a device going away while we look, or one without a size: not throttled
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }
}
