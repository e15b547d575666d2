package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The owner's wake-up latencies in the order they happened, from {@code cyclictest -v}'s lines
 * ({@code "       0:    1988:      80"}: thread 0, wake-up 1988, 80 µs late), so a run can be split
 * by what Cyphon's jobs were doing at the time (lingering or frozen). Wake-up k happens about k
 * intervals after the first: cyclictest sleeps to absolute times. The last few wake-ups before
 * cyclictest is stopped may be missing; the histogram ({@link OwnerWakeups}) has them all.
 */
final class OwnerWakeupSeries {
    private static final Pattern SAMPLE = Pattern.compile("^\\s*0:\\s*(\\d+):\\s*(\\d+)\\s*$");

    private final long[] latencyUs;
    private final long startNanos;
    private final long intervalNanos;

    private OwnerWakeupSeries(long[] latencyUs, long startNanos, long intervalNanos) {
        this.latencyUs = latencyUs;
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
    }

    /** @param startNanos when cyclictest was started, on {@link System#nanoTime} */
    static OwnerWakeupSeries read(Path verboseLog, long startNanos, long intervalUs) throws IOException {
        List<String> lines = Files.readAllLines(verboseLog);
        long[] out = new long[lines.size()];
        int n = 0;
        for (String line : lines) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) continue;
            int k = Integer.parseInt(m.group(1));
            if (k >= out.length) continue;
            out[k] = Long.parseLong(m.group(2));
            n = Math.max(n, k + 1);
        }
        return new OwnerWakeupSeries(Arrays.copyOf(out, n), startNanos, intervalUs * 1000);
    }

    /** "p50 70 µs, p99 160 µs (14,600 wake-ups)" over the wake-ups inside the given spans of nanoTime. */
    String describe(List<long[]> spans) {
        long[] picked = new long[latencyUs.length];
        int n = 0;
        for (int k = 0; k < latencyUs.length; k++) {
            long at = startNanos + k * intervalNanos;
            for (long[] s : spans) {
                if (at >= s[0] && at < s[1]) {
                    picked[n++] = latencyUs[k];
                    break;
                }
            }
        }
        if (n == 0) return "no wake-ups";
        long[] sorted = Arrays.copyOf(picked, n);
        Arrays.sort(sorted);
        return String.format(
                Locale.ROOT,
                "p50 %s, p99 %s, max %s (%s wake-ups)",
                OwnerWakeups.micros(at(sorted, 0.5)),
                OwnerWakeups.micros(at(sorted, 0.99)),
                OwnerWakeups.micros(sorted[n - 1]),
                Figures.count(n));
    }

    private static long at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
