package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's busy CPU time, from the first line of /proc/stat. Subtracting what the
 * measured processes used gives what everybody else used during the run: a better sign of a
 * disturbed measurement than the load average, which also counts the benchmark's own threads.
 */
final class MachineCpu {
    /** Busy (non-idle, non-iowait) time of all cores, in clock ticks, at {@code nanoTime}. */
    record Sample(long nanoTime, long busyTicks) {}

    private MachineCpu() {}

    static Sample sample() throws IOException {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is
        // already inside user, so stop at steal.
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i == 4 || i == 5) continue; // idle, iowait
            busy += Long.parseLong(f[i]);
        }
        return new Sample(System.nanoTime(), busy);
    }

    /** Cores busy on average between two samples (2.0 = both cores all the time). */
    static double cores(Sample from, Sample to, long ticksPerSecond) {
        double wall = (to.nanoTime() - from.nanoTime()) / 1e9;
        return wall <= 0 ? 0 : (to.busyTicks() - from.busyTicks()) / (double) ticksPerSecond / wall;
    }
}
