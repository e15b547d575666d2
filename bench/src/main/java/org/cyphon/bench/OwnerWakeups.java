package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The owner's wake-up latencies, read from the histogram {@code cyclictest --histfile} writes: one
 * line per microsecond bucket ({@code "000073 000012"}: 12 wake-ups 73 µs late), then
 * {@code # ...} summary lines. Percentiles are computed here (nearest rank) because cyclictest itself
 * prints only min, average and max; latencies past the histogram's range count as overflows and are
 * at least that long.
 */
record OwnerWakeups(long samples, long p50Us, long p99Us, long maxUs, long overflows, long rangeUs) {

    static OwnerWakeups parse(Path histfile, long rangeUs) throws IOException {
        List<String> lines = Files.readAllLines(histfile);
        long[] counts = new long[(int) rangeUs];
        long total = 0, max = -1, overflows = 0;
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("# Max Latencies:"))
                max = Long.parseLong(l.substring(16).trim().split("\\s+")[0]);
            else if (l.startsWith("# Histogram Overflows:"))
                overflows = Long.parseLong(l.substring(22).trim().split("\\s+")[0]);
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] f = l.split("\\s+");
            int bucket = Integer.parseInt(f[0]);
            long n = Long.parseLong(f[1]);
            if (bucket < counts.length) counts[bucket] += n;
            total += n;
        }
        if (max < 0)
            throw new IOException("cyclictest wrote no '# Max Latencies' line to " + histfile + " (did it run?)");
        long samples = total + overflows;
        if (samples == 0) throw new IOException("cyclictest measured no wake-ups (" + histfile + ")");
        return new OwnerWakeups(
                samples,
                at(counts, samples, 0.50, rangeUs),
                at(counts, samples, 0.99, rangeUs),
                max,
                overflows,
                rangeUs);
    }

    /** Nearest-rank percentile; {@code rangeUs} (meaning "at least this") when it falls among the overflows. */
    private static long at(long[] counts, long samples, double q, long rangeUs) {
        long rank = Math.max(1, (long) Math.ceil(q * samples));
        long seen = 0;
        for (int us = 0; us < counts.length; us++) {
            seen += counts[us];
            if (seen >= rank) return us;
        }
        return rangeUs;
    }

    /** "p50 62 µs, p99 180 µs, max 2,310 µs (41,234 wake-ups)". */
    String describe() {
        return "p50 " + micros(p50Us) + ", p99 " + micros(p99Us) + ", max " + micros(maxUs) + " ("
                + Figures.count(samples) + " wake-ups"
                + (overflows > 0 ? ", " + Figures.count(overflows) + " over " + micros(rangeUs) : "") + ")";
    }

    static String micros(long us) {
        return us >= 10_000 ? String.format(Locale.ROOT, "%.1f ms", us / 1000.0) : Figures.count(us) + " µs";
    }
}
