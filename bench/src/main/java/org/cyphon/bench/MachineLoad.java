package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load average, printed with every figure: the benchmarks run on a small shared
 * machine, and a figure taken while someone else's build runs is not comparable to a quiet one.
 */
final class MachineLoad {
    private MachineLoad() {}

    /** "0.13 0.08 0.05 (1/5/15 min, 2 cores)", or "unknown" where /proc/loadavg is missing. */
    static String now() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " (1/5/15 min, "
                    + Runtime.getRuntime().availableProcessors() + " cores)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
