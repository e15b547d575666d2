package org.cyphon.bench;

import java.io.IOException;

/**
 * The coordinator's store writer as {@code /metrics} reports it (busy time, commits, writes), read
 * at both ends of a measured window: how much of the window the single writer, through which every
 * write of the coordinator goes, was busy. Near 100% means the writer is what limits dispatch.
 */
record StoreWriterLoad(double busySeconds, double commits, double writes, long atNanos) {
    /** The difference of two readings, for the report. */
    record Window(StoreWriterLoad from, StoreWriterLoad to) {
        String summary() {
            double seconds = (to.atNanos - from.atNanos) / 1e9;
            double busy = to.busySeconds - from.busySeconds;
            double commits = to.commits - from.commits;
            double writes = to.writes - from.writes;
            return "busy " + Figures.decimal(100 * busy / seconds, 0) + "% of the " + Figures.decimal(seconds, 2)
                    + " s measured; " + Figures.count((long) commits) + " commits of "
                    + Figures.decimal(commits == 0 ? 0 : writes / commits, 1) + " writes each";
        }
    }

    static StoreWriterLoad read(String coordinatorUrl) throws IOException, InterruptedException {
        String text = MetricsText.fetch(coordinatorUrl);
        return new StoreWriterLoad(
                sample(text, "cyphon_store_writer_busy_seconds_total"),
                sample(text, "cyphon_store_commits_total"),
                sample(text, "cyphon_store_writes_total"),
                System.nanoTime());
    }

    private static double sample(String metrics, String name) throws IOException {
        for (String line : metrics.split("\n"))
            if (line.startsWith(name + " "))
                return Double.parseDouble(line.substring(name.length() + 1).trim());
        throw new IOException(name + " missing from the coordinator's /metrics");
    }
}
