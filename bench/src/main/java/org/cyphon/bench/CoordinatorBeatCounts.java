package org.cyphon.bench;

import java.io.IOException;
import java.util.TreeMap;

/**
 * The coordinator's own count of heartbeats by how long each took ({@code cyphon_heartbeat_seconds}
 * buckets in {@code /metrics}, both paths), read at both ends of a phase.
 *
 * <p>Why beside the load generator's own timings: the simulated desks share this machine's two
 * cores with the coordinator, so what they time includes their own wait for a core and their own
 * garbage collection; on an office network the desks are elsewhere. The coordinator's count is
 * from its handler starting to the reply being ready (its wait for a place in the heartbeats' line
 * included; reading the request and writing the reply not).
 */
record CoordinatorBeatCounts(TreeMap<Double, Double> atMost) {
    private static final String BUCKET = "cyphon_heartbeat_seconds_bucket{";

    /** The beats counted between two readings. */
    record Window(CoordinatorBeatCounts from, CoordinatorBeatCounts to) {
        double count(double seconds) {
            return to.atMost.getOrDefault(seconds, 0.0) - from.atMost.getOrDefault(seconds, 0.0);
        }

        double total() {
            return count(Double.POSITIVE_INFINITY);
        }

        /** E.g. "99.2% within 50 ms (of 74,311); p99 in (50 ms, 100 ms]". */
        String summary() {
            double all = total();
            if (all <= 0) return "none counted";
            double within50 = count(0.05);
            return Figures.decimal(100 * within50 / all, 1) + "% within 50 ms, "
                    + Figures.decimal(100 * count(0.01) / all, 1) + "% within 10 ms (of "
                    + Figures.count((long) all) + "); p99 " + bucketOf(0.99);
        }

        /** The bucket the given quantile falls in, as "≤ 50 ms" or "in (50 ms, 100 ms]". */
        String bucketOf(double q) {
            double all = total();
            double below = 0;
            for (double le : to.atMost.keySet()) {
                if (count(le) >= q * all) {
                    return below == 0 ? "≤ " + ms(le) : "in (" + ms(below) + ", " + ms(le) + "]";
                }
                below = le;
            }
            return "beyond " + ms(below);
        }

        private static String ms(double seconds) {
            return Double.isInfinite(seconds) ? "∞" : Figures.decimal(seconds * 1000, 0) + " ms";
        }
    }

    static CoordinatorBeatCounts read(String coordinatorUrl) throws IOException, InterruptedException {
        String text = MetricsText.fetch(coordinatorUrl);
        return parse(text);
    }

    /** Sums the buckets of both paths ("read" and "write") by their upper bound. */
    static CoordinatorBeatCounts parse(String metrics) throws IOException {
        TreeMap<Double, Double> atMost = new TreeMap<>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(BUCKET)) continue;
            int le = line.indexOf("le=\"");
            int close = line.indexOf('"', le + 4);
            int brace = line.lastIndexOf('}');
            if (le < 0 || close < 0 || brace < 0) throw new IOException("unreadable bucket line: " + line);
            String bound = line.substring(le + 4, close);
            double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            atMost.merge(upper, Double.parseDouble(line.substring(brace + 1).trim()), Double::sum);
        }
        if (atMost.isEmpty()) throw new IOException("cyphon_heartbeat_seconds buckets missing from /metrics");
        return new CoordinatorBeatCounts(atMost);
    }
}
