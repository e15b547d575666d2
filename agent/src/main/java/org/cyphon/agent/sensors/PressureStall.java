package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's pressure stall information ({@code /proc/pressure/cpu|memory|io}, Linux 4.20+):
 * the share of the last 10 s in which some runnable task waited for the resource, in percent.
 * The line read is {@code some avg10=2.30 avg60=8.14 avg300=20.52 total=885034543}.
 */
final class PressureStall {

    /** What {@link #some10s} answers when the kernel has no PSI (too old, or booted with psi=0). */
    static final double UNKNOWN = -1;

    private PressureStall() {}

    /** "some" avg10 of one resource file, or {@link #UNKNOWN}. */
    static double some10s(Path file) {
        try {
            return parseSome10s(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            // Missing file, or EOPNOTSUPP on read when PSI is compiled in but disabled.
            return UNKNOWN;
        }
    }

    static double parseSome10s(String text) {
        for (String line : text.split("\n")) {
            if (!line.startsWith("some ")) continue;
            for (String field : line.split("\\s+")) {
                if (field.startsWith("avg10=")) return Double.parseDouble(field.substring("avg10=".length()));
            }
        }
        throw new IllegalArgumentException("no 'some avg10=' in pressure file");
    }
}
