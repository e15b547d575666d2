package org.cyphon.bench;

import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints a bulk run as the table and the one-line summary the README quotes. */
final class BulkReport {
    private BulkReport() {}

    static void print(PrintStream out, BulkBenchmark.Result r, ScratchDir dir) {
        BulkBenchmark.Settings s = r.settings();
        ResultTable t = new ResultTable(
                "bulk: one command, one request, one transaction each, on a queue of " + Figures.count(s.jobs()));
        t.section("setup");
        t.row("coordinator", r.coordinatorHow() + ", default configuration; no agent (the jobs stay queued)");
        t.row("store", r.storeHow());
        t.row("commands", "cyphon processes as ./cyphon starts them, URL and token in the environment");
        t.row("load before", r.loadBefore());
        t.section("results (wall time of the cyphon process, JVM start to exit)");
        for (int k = 0; k < r.steps().size(); k++) {
            BulkBenchmark.Step step = r.steps().get(k);
            String what = switch (label(r.steps(), k)) {
                case "submit" -> "submit -n " + Figures.count(s.jobs()) + " -- true (first)";
                case "submit again" -> "submit -n " + Figures.count(s.jobs()) + " again (warm)";
                default -> step.command() + " --all-mine";
            };
            t.row(
                    what,
                    Figures.seconds(step.result().wallNanos()) + "  (cores: coordinator "
                            + Figures.decimal(step.coordinatorCores(), 2) + ", cyphon client "
                            + Figures.decimal(step.clientCores(), 2)
                            + (s.store().equals("postgresql")
                                    ? ", PostgreSQL " + Figures.decimal(step.postgresCores(), 2)
                                    : "")
                            + ", other processes " + Figures.decimal(step.otherCores(), 2) + ")");
        }
        t.row("load after", r.loadAfter());
        t.row("correctness", r.check());
        if (dir.kept()) t.row("scratch dir", dir.path().toString());
        t.print(out, line(r, step -> Figures.seconds(byLabel(r, step).result().wallNanos()), ""));
    }

    /** "submit", "hold", ..., and "submit again" for the second submit. */
    static String label(java.util.List<BulkBenchmark.Step> steps, int k) {
        String command = steps.get(k).command();
        for (int i = 0; i < k; i++) if (steps.get(i).command().equals(command)) return command + " again";
        return command;
    }

    private static BulkBenchmark.Step byLabel(BulkBenchmark.Result r, String label) {
        for (int k = 0; k < r.steps().size(); k++)
            if (label(r.steps(), k).equals(label)) return r.steps().get(k);
        throw new IllegalArgumentException(label);
    }

    /** The last line of --repeat: medians, and every run's figure. */
    static String summary(BulkBenchmark.Result last, Map<String, RepeatedRuns> runs) {
        String each = runs.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().describe())
                .collect(Collectors.joining("; "));
        return line(
                last,
                step -> String.format(
                        java.util.Locale.ROOT, "%.2f s", runs.get(step).median()),
                each + "; ");
    }

    private interface Figure {
        String of(String step);
    }

    /** "bulk (postgresql): submit -n 100,000 3.21 s; hold 2.0 s, release 2.2 s, cancel 2.1 s (--all-mine)". */
    private static String line(BulkBenchmark.Result r, Figure f, String runs) {
        return "bulk (" + r.settings().store() + "): submit -n "
                + Figures.count(r.settings().jobs()) + " "
                + f.of("submit") + "; hold " + f.of("hold") + ", release " + f.of("release") + ", cancel "
                + f.of("cancel") + " (--all-mine, each one request)" + (runs.isEmpty() ? "" : " [" + runs + "]")
                + (r.ok() ? "" : " -- VERIFICATION FAILED");
    }
}
