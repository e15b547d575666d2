package org.cyphon.bench;

import java.util.Arrays;

/**
 * Durations of one kind of operation, for percentiles. Keeps every sample: a run records at most
 * a few hundred thousand, and exact percentiles beat a histogram's buckets at that size.
 */
final class LatencySamples {
    private long[] nanos = new long[1024];
    private int size;

    synchronized void add(long durationNanos) {
        if (size == nanos.length) nanos = Arrays.copyOf(nanos, size * 2);
        nanos[size++] = durationNanos;
    }

    synchronized int count() {
        return size;
    }

    /** "p50 1.2 ms, p99 4.0 ms, max 9.1 ms (n=3,125)", or "no samples". */
    synchronized String summary() {
        if (size == 0) return "no samples";
        long[] s = Arrays.copyOf(nanos, size);
        Arrays.sort(s);
        return "p50 " + Figures.millis(at(s, 0.50)) + ", p90 " + Figures.millis(at(s, 0.90)) + ", p99 "
                + Figures.millis(at(s, 0.99)) + ", max " + Figures.millis(s[size - 1]) + " (n=" + Figures.count(size)
                + ")";
    }

    /** The nearest-rank percentile {@code q} (0..1) in nanoseconds; 0 with no samples. */
    synchronized long percentile(double q) {
        if (size == 0) return 0;
        long[] s = Arrays.copyOf(nanos, size);
        Arrays.sort(s);
        return at(s, q);
    }

    /** Nearest-rank percentile. */
    private static long at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
