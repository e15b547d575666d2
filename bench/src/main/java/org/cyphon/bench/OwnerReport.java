package org.cyphon.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tables of {@code bench/run owner}: one per case, then the cases side by side against the
 * targets, then the one-line summary (always the last line).
 */
final class OwnerReport {
    static final double THROUGHPUT_LOSS_MAX_PERCENT = 2;
    static final double WAKEUP_P99_RATIO_MAX = 2;
    static final double YIELD_P99_MAX_MS = 50;
    /** (d)'s run-queue delay may exceed (f)'s, the SCHED_IDLE floor, by this many percentage points. */
    static final double RUN_DELAY_OVER_FLOOR_MAX_POINTS = 0.1;

    private final OwnerSettings settings;
    private final OwnerInputFile.Made input;
    private final PrintStream out;

    OwnerReport(OwnerSettings settings, OwnerInputFile.Made input, PrintStream out) {
        this.settings = settings;
        this.input = input;
        this.out = out;
    }

    void printCase(OwnerCaseResult c, OwnerCaseResult alone, OwnerCaseResult floor) {
        OwnerWorkload.Result typical = c.typicalRound();
        ResultTable t = new ResultTable("owner (" + c.key() + "): " + c.title());
        t.section("setup");
        t.row(
                "owner workload",
                "cyclictest -q -m --default-system -i " + settings.intervalUs() + " (" + typical.schedulingSeen()
                        + ") during xz -9 -T1 of " + mebibytes(input.bytes()) + " of seeded text (seed "
                        + settings.seed() + ", sha256 " + input.sha256() + "...)");
        t.row("background", c.background());
        c.setup().forEach(t::row);
        if (settings.rounds() > 1) {
            t.row(
                    "rounds",
                    settings.rounds()
                            + ", each running the cases in turn; figures are medians, comparisons with (a) paired by round");
        }
        t.row("load before", typical.loadBefore());
        t.section("results");
        if (c.rounds().size() > 1 || !c.discarded().isEmpty()) {
            for (OwnerWorkload.Result r : c.rounds()) t.row("run " + r.label(), run(r));
            for (OwnerWorkload.Result r : c.discarded()) t.row("run " + r.label(), run(r) + ": DISTURBED, not used");
        }
        t.row(
                "xz -9",
                Figures.decimal(c.xzSeconds(), 2) + " s, "
                        + Figures.decimal(input.bytes() / 1048576.0 / c.xzSeconds(), 2) + " MiB/s; xz had "
                        + Figures.decimal(100 * typical.xzShareOfOneCore(), 0) + "% of a core");
        if (alone != null && c != alone) t.row("throughput vs (a)", throughputVerdict(c, alone));
        t.row(
                "wake-up latency",
                c.rounds().size() == 1
                        ? typical.wakeups().describe()
                        : "p50 " + OwnerWakeups.micros((long) c.p50Us()) + ", p99 "
                                + OwnerWakeups.micros((long) c.p99Us()) + ", max "
                                + OwnerWakeups.micros((long) c.maxUs()));
        if (alone != null && c != alone) t.row("wake-up p99 vs (a)", p99Verdict(c, alone));
        OwnerWorkload.RunDelay delay = typical.runDelay();
        t.row(
                "owner's run-queue delay",
                (c.rounds().size() == 1
                                ? Figures.decimal(delay.percent(), 2) + "%"
                                : spread(c.runDelayPercents(), "%", false))
                        + " of xz's wall time (time xz was runnable but waiting for a CPU, schedstat field 2;"
                        + " cyclictest's, not counted: median round " + Figures.decimal(delay.cyclictestPercent(), 2)
                        + "%, mostly this VM's wake-up of an idle CPU)");
        if (alone != null && c != alone)
            t.row("run-queue delay vs (a)", spread(c.runDelayPointsVs(alone), " points", true) + ", same round");
        if (floor != null && c != floor) t.row("run-queue delay vs (f)", runDelayVerdict(c, floor));
        c.observed().forEach(t::row);
        t.row("CPU, in cores", cpu(typical));
        t.row("load after", typical.loadAfter());
        t.print(
                out,
                "(" + c.key() + ") " + shortName(c) + ": xz " + Figures.decimal(c.xzSeconds(), 2) + " s, wake-up p50 "
                        + OwnerWakeups.micros((long) c.p50Us()) + ", p99 " + OwnerWakeups.micros((long) c.p99Us())
                        + (alone != null && c != alone
                                ? " (" + signed(c.throughputChangeVs(alone)) + "% throughput, p99 "
                                        + Figures.decimal(c.p99RatioVs(alone), 1) + "x vs alone)"
                                : "")
                        + ", run-queue delay " + Figures.decimal(c.runDelayPercent(), 2) + "%"
                        + (floor != null && c != floor
                                ? " (" + signedPoints(OwnerCaseResult.median(c.runDelayPointsVs(floor)))
                                        + " points vs SCHED_IDLE burners)"
                                : "")
                        + disturbed(c));
        out.println();
    }

    private String throughputVerdict(OwnerCaseResult c, OwnerCaseResult alone) {
        String v = signed(c.throughputChangeVs(alone)) + "%";
        if (!c.key().equals("d")) return v;
        return v + " (target: at most " + (int) THROUGHPUT_LOSS_MAX_PERCENT + "% slower: "
                + (throughputMet(c, alone) ? "met" : "MISSED") + ")";
    }

    private String p99Verdict(OwnerCaseResult c, OwnerCaseResult alone) {
        String v = Figures.decimal(c.p99RatioVs(alone), 2) + "x";
        if (!c.key().equals("d")) return v;
        return v + " (target <= " + (int) WAKEUP_P99_RATIO_MAX + "x: " + (p99Met(c, alone) ? "met" : "MISSED") + ")";
    }

    private String runDelayVerdict(OwnerCaseResult c, OwnerCaseResult floor) {
        String v = spread(c.runDelayPointsVs(floor), " points", true) + ", same round (ratio "
                + spread(c.runDelayRatiosVs(floor), "x", false) + ")";
        if (!c.key().equals("d")) return v;
        return v + " (target: at most +" + RUN_DELAY_OVER_FLOOR_MAX_POINTS + " points over the SCHED_IDLE floor: "
                + (runDelayMet(c, floor) ? "met" : "MISSED") + ")";
    }

    static boolean runDelayMet(OwnerCaseResult c, OwnerCaseResult floor) {
        return OwnerCaseResult.median(c.runDelayPointsVs(floor)) <= RUN_DELAY_OVER_FLOOR_MAX_POINTS;
    }

    /**
     * "0.45%", or with several rounds "median 0.45% (rounds 0.40..0.52%)": the spread is part of
     * the figure on this machine.
     */
    static String spread(double[] values, String unit, boolean signed) {
        if (values.length == 0) return "-";
        java.util.function.DoubleFunction<String> f = v -> (signed ? signedPoints(v) : Figures.decimal(v, 2)) + unit;
        if (values.length == 1) return f.apply(values[0]);
        double min = java.util.Arrays.stream(values).min().orElse(0);
        double max = java.util.Arrays.stream(values).max().orElse(0);
        return "median " + f.apply(OwnerCaseResult.median(values)) + " (rounds "
                + (signed ? signedPoints(min) : Figures.decimal(min, 2)) + ".."
                + (signed ? signedPoints(max) : Figures.decimal(max, 2)) + unit + ")";
    }

    private static String signedPoints(double points) {
        return (points >= 0 ? "+" : "") + Figures.decimal(points, 2);
    }

    /** "", or a warning that the case's figures come from runs other people's processes disturbed. */
    private String disturbed(OwnerCaseResult c) {
        return c.worstOthers() > settings.maxOthers()
                ? "; DISTURBED: other processes used up to " + Figures.decimal(c.worstOthers(), 2)
                        + " cores (re-run on a quiet machine)"
                : "";
    }

    /** One run's figures and who else computed meanwhile; a kept run over --max-others is flagged. */
    private String run(OwnerWorkload.Result r) {
        double others = r.cpu().others();
        return "xz " + Figures.seconds(r.xzWallNanos()) + ", wake-up "
                + r.wakeups().describe() + ", run-queue delay "
                + Figures.decimal(r.runDelay().percent(), 2)
                + "%; other processes " + Figures.decimal(others, 2) + " cores"
                + (others > settings.maxOthers() ? " (over --max-others " + settings.maxOthers() + ")" : "");
    }

    static boolean throughputMet(OwnerCaseResult c, OwnerCaseResult alone) {
        return c.throughputChangeVs(alone) >= -THROUGHPUT_LOSS_MAX_PERCENT;
    }

    static boolean p99Met(OwnerCaseResult c, OwnerCaseResult alone) {
        return c.p99RatioVs(alone) <= WAKEUP_P99_RATIO_MAX;
    }

    private static String cpu(OwnerWorkload.Result r) {
        List<String> parts = new ArrayList<>();
        parts.add("owner's xz " + Figures.decimal(r.xzCores(), 2));
        parts.add("cyclictest " + Figures.decimal(r.cyclictestCores(), 2));
        for (Map.Entry<String, Double> e : r.cpu().cores().entrySet()) {
            if (!e.getKey().equals(OwnerWorkload.BENCHMARK))
                parts.add(e.getKey() + " " + Figures.decimal(e.getValue(), 2));
        }
        parts.add("benchmark and typist " + Figures.decimal(r.benchmarkCores(), 2));
        return String.join(", ", parts) + "; other processes "
                + Figures.decimal(r.cpu().others(), 2) + " (machine busy "
                + CpuAccount.cores(r.cpu().machineCores()) + ", over "
                + Figures.seconds(r.cpu().wallNanos()) + ")";
    }

    void printYield(YieldCase.Outcome e) {
        YieldTrials.Result r = e.trials();
        ResultTable t = new ResultTable(
                "owner (e): yield latency under the strict policy, from a key press to the job's progress stopping");
        t.section("setup");
        e.setup().forEach(t::row);
        t.row(
                "trials",
                r.trials().size() + " counted, " + r.notCounted() + " not counted"
                        + (r.whyNotCounted().isEmpty() ? "" : " (" + String.join("; ", r.whyNotCounted()) + ")") + ", "
                        + Figures.seconds(r.wallNanos()) + " in all; a random 0-1 s pause before each press");
        t.row("load before", e.loadBefore());
        t.section("results");
        t.row(
                "yield",
                percentiles(r.sorted(YieldTrials.Trial::yield))
                        + " (press left the benchmark -> last stamp; 1 ms resolution); target p99 <= "
                        + (int) YIELD_P99_MAX_MS + " ms: " + (yieldMet(r) ? "met" : "MISSED"));
        t.row(
                "agent logged 'frozen'",
                percentiles(r.sorted(YieldTrials.Trial::agentLogged)) + " after the press (its log's ms timestamps)");
        t.row(
                "X server had it",
                percentiles(r.sorted(YieldTrials.Trial::server)) + " after the press (GetInputFocus round trip)");
        t.row("job stood still", percentiles(r.sorted(YieldTrials.Trial::stopped)) + " (until thawed)");
        long[] stalls = r.sorted(YieldTrials.Trial::stall);
        t.row(
                "stamper stalls",
                "longest pause between press and stop: " + percentiles(stalls)
                        + " (above ~1 ms: the idle-priority job waited for a CPU)");
        e.observed().forEach(t::row);
        Map<String, Double> cores = e.cpu().cores();
        t.row(
                "CPU, in cores",
                cores.entrySet().stream()
                                .map(x -> x.getKey() + " " + Figures.decimal(x.getValue(), 2))
                                .collect(Collectors.joining(", "))
                        + "; other processes " + Figures.decimal(e.cpu().others(), 2) + " (machine busy "
                        + CpuAccount.cores(e.cpu().machineCores()) + ", over "
                        + Figures.seconds(e.cpu().wallNanos()) + ")");
        t.row("load after", e.loadAfter());
        t.print(
                out,
                "(e) yield: p50 " + Figures.millis(at(r.sorted(YieldTrials.Trial::yield), 0.5)) + ", p99 "
                        + Figures.millis(yieldP99(r)) + " over " + r.trials().size() + " trials");
        out.println();
    }

    static long yieldP99(YieldTrials.Result r) {
        return at(r.sorted(YieldTrials.Trial::yield), 0.99);
    }

    static boolean yieldMet(YieldTrials.Result r) {
        return yieldP99(r) <= YIELD_P99_MAX_MS * 1e6;
    }

    /** The cases side by side, with the targets; then the summary line. */
    void printComparison(
            List<OwnerCaseResult> cases, OwnerCaseResult alone, OwnerCaseResult floor, YieldCase.Outcome yield) {
        OwnerGrid g = new OwnerGrid(
                "owner: the cases side by side (targets apply to (d) and (e); 'vs' columns: medians of same-round pairs)",
                "case",
                "xz s",
                "throughput vs (a)",
                "wake-up p50",
                "p99",
                "max",
                "p99 vs (a)",
                "run delay",
                "run delay vs (f), points",
                "others' CPU");
        for (OwnerCaseResult c : cases) {
            boolean vs = alone != null && c != alone;
            boolean d = c.key().equals("d");
            g.row(
                    "(" + c.key() + ") " + shortName(c),
                    Figures.decimal(c.xzSeconds(), 2),
                    vs
                            ? signed(c.throughputChangeVs(alone)) + "%"
                                    + (d ? (throughputMet(c, alone) ? " met" : " MISSED") : "")
                            : "-",
                    OwnerWakeups.micros((long) c.p50Us()),
                    OwnerWakeups.micros((long) c.p99Us()),
                    OwnerWakeups.micros((long) c.maxUs()),
                    vs
                            ? Figures.decimal(c.p99RatioVs(alone), 2) + "x"
                                    + (d ? (p99Met(c, alone) ? " met" : " MISSED") : "")
                            : "-",
                    spread(c.runDelayPercents(), "%", false),
                    floor != null && c != floor
                            ? spread(c.runDelayPointsVs(floor), "", true)
                                    + (d ? (runDelayMet(c, floor) ? " met" : " MISSED") : "")
                            : "-",
                    Figures.decimal(c.worstOthers(), 2));
        }
        if (yield != null) {
            long[] y = yield.trials().sorted(YieldTrials.Trial::yield);
            g.row(
                    "(e) yield under strict",
                    "p50 " + Figures.millis(at(y, 0.5)),
                    "p99 " + Figures.millis(yieldP99(yield.trials())),
                    "max " + Figures.millis(y.length == 0 ? 0 : y[y.length - 1]),
                    "target p99 <= " + (int) YIELD_P99_MAX_MS + " ms",
                    yieldMet(yield.trials()) ? "met" : "MISSED",
                    "n=" + y.length,
                    "",
                    "",
                    Figures.decimal(yield.cpu().others(), 2));
        }
        g.print(out);
    }

    String summary(OwnerCaseResult alone, OwnerCaseResult floor, OwnerCaseResult desk, YieldCase.Outcome yield) {
        List<String> parts = new ArrayList<>();
        if (alone != null && desk != null) {
            parts.add("(d) throughput " + signed(desk.throughputChangeVs(alone)) + "% vs alone (target >= -"
                    + (int) THROUGHPUT_LOSS_MAX_PERCENT + "%: "
                    + (throughputMet(desk, alone) ? "met" : "MISSED") + "), p99 wake-up "
                    + Figures.decimal(desk.p99RatioVs(alone), 1) + "x ("
                    + OwnerWakeups.micros((long) desk.p99Us()) + " vs " + OwnerWakeups.micros((long) alone.p99Us())
                    + "; target <= "
                    + (int) WAKEUP_P99_RATIO_MAX + "x: " + (p99Met(desk, alone) ? "met" : "MISSED") + ")"
                    + (alone.worstOthers() > settings.maxOthers() || desk.worstOthers() > settings.maxOthers()
                            ? " DISTURBED runs"
                            : ""));
        } else {
            parts.add("(d) vs (a): not run (--cases " + settings.cases() + ")");
        }
        if (floor != null && desk != null) {
            parts.add("(d) owner run-queue delay " + Figures.decimal(desk.runDelayPercent(), 2) + "% vs "
                    + Figures.decimal(floor.runDelayPercent(), 2) + "% beside SCHED_IDLE burners: "
                    + spread(desk.runDelayPointsVs(floor), " points", true) + " (target <= +"
                    + RUN_DELAY_OVER_FLOOR_MAX_POINTS + ": " + (runDelayMet(desk, floor) ? "met" : "MISSED") + ")"
                    + (floor.worstOthers() > settings.maxOthers() || desk.worstOthers() > settings.maxOthers()
                            ? " DISTURBED runs"
                            : ""));
        }
        if (yield != null) {
            parts.add("(e) yield p99 " + Figures.millis(yieldP99(yield.trials())) + " over "
                    + yield.trials().trials().size() + " trials (target <= " + (int) YIELD_P99_MAX_MS + " ms: "
                    + (yieldMet(yield.trials()) ? "met" : "MISSED") + ")");
        } else {
            parts.add("(e) not run");
        }
        return "owner: " + String.join(", ", parts);
    }

    static String shortName(OwnerCaseResult c) {
        return switch (c.key()) {
            case "a" -> "alone";
            case "b" -> "nice-0 burners";
            case "c" -> "nice-19 burners";
            case "d" -> "Cyphon desktop, owner active";
            case "f" -> "SCHED_IDLE burners";
            default -> c.title();
        };
    }

    private static String percentiles(long[] sorted) {
        if (sorted.length == 0) return "no trials";
        return "p50 " + Figures.millis(at(sorted, 0.5)) + ", p99 " + Figures.millis(at(sorted, 0.99)) + ", max "
                + Figures.millis(sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of sorted nanoseconds. */
    static long at(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String mebibytes(long bytes) {
        return Figures.decimal(bytes / 1048576.0, bytes % 1048576 == 0 ? 0 : 1) + " MiB";
    }

    private static String signed(double percent) {
        return (percent >= 0 ? "+" : "") + Figures.decimal(percent, 1);
    }
}
