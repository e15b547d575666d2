package org.cyphon.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;

/**
 * One of cases (a)-(d) over all rounds: the owner's workload run once per round beside one kind of
 * background (plus the runs thrown away because other people's processes disturbed them), with
 * what was set up and seen besides the figures (the jobs' states in (d)), as rows for its table.
 *
 * <p>Comparisons with (a) are paired by round — the median of (d) round r against (a) round r —
 * because this machine's speed drifts by more than the 2% target over minutes (it is a VM on a
 * shared host): rounds run the cases one after another, so a pair is measured minutes apart, while
 * all rounds of one case would be spread over the whole run.
 */
final class OwnerCaseResult {
    private final String key;
    private final String title;
    private final String background;
    private final SortedMap<Integer, OwnerWorkload.Result> byRound = new TreeMap<>();
    private final List<OwnerWorkload.Result> discarded = new ArrayList<>();
    private final Map<String, String> setup = new LinkedHashMap<>();
    private final Map<String, String> observed = new LinkedHashMap<>();

    OwnerCaseResult(String key, String title, String background) {
        this.key = key;
        this.title = title;
        this.background = background;
    }

    void add(int round, OwnerRounds.Outcome runs) {
        if (!runs.kept().isEmpty()) byRound.put(round, runs.kept().get(0));
        discarded.addAll(runs.discarded());
    }

    String key() {
        return key;
    }

    String title() {
        return title;
    }

    String background() {
        return background;
    }

    List<OwnerWorkload.Result> rounds() {
        return List.copyOf(byRound.values());
    }

    List<OwnerWorkload.Result> discarded() {
        return discarded;
    }

    /** Rows for the table's setup section, filled by the case as it runs. */
    Map<String, String> setup() {
        return setup;
    }

    /** Rows for the table's results section besides the figures, filled by the case as it runs. */
    Map<String, String> observed() {
        return observed;
    }

    boolean isEmpty() {
        return byRound.isEmpty();
    }

    double xzSeconds() {
        return median(r -> r.xzWallNanos() / 1e9);
    }

    double p50Us() {
        return median(r -> r.wakeups().p50Us());
    }

    double p99Us() {
        return median(r -> r.wakeups().p99Us());
    }

    double maxUs() {
        return byRound.values().stream()
                .mapToDouble(r -> r.wakeups().maxUs())
                .max()
                .orElse(0);
    }

    /** Median over the rounds both ran of this case's throughput change against {@code alone}, in percent (-0.8: 0.8% slower). */
    double throughputChangeVs(OwnerCaseResult alone) {
        return pairedMedian(alone, (mine, theirs) -> 100 * (theirs.xzWallNanos() / (double) mine.xzWallNanos() - 1));
    }

    /** Median over the rounds both ran of this case's p99 wake-up latency divided by {@code alone}'s. */
    double p99RatioVs(OwnerCaseResult alone) {
        return pairedMedian(
                alone,
                (mine, theirs) -> mine.wakeups().p99Us()
                        / (double) Math.max(1, theirs.wakeups().p99Us()));
    }

    /** Median over the rounds of the owner's run-queue delay, in percent of its wall time. */
    double runDelayPercent() {
        return median(r -> r.runDelay().percent());
    }

    /** Every round's run-queue delay in percent, in round order. */
    double[] runDelayPercents() {
        return byRound.values().stream()
                .mapToDouble(r -> r.runDelay().percent())
                .toArray();
    }

    /**
     * Per round that both ran, this case's run-queue delay minus {@code other}'s, in percentage
     * points: each pair measured minutes apart, so the machine's drift cancels.
     */
    double[] runDelayPointsVs(OwnerCaseResult other) {
        return byRound.entrySet().stream()
                .filter(e -> other.byRound.containsKey(e.getKey()))
                .mapToDouble(e -> e.getValue().runDelay().percent()
                        - other.byRound.get(e.getKey()).runDelay().percent())
                .toArray();
    }

    /** Per round that both ran, this case's run-queue delay divided by {@code other}'s. */
    double[] runDelayRatiosVs(OwnerCaseResult other) {
        return byRound.entrySet().stream()
                .filter(e -> other.byRound.containsKey(e.getKey()))
                .mapToDouble(e -> e.getValue().runDelay().percent()
                        / Math.max(
                                1e-9, other.byRound.get(e.getKey()).runDelay().percent()))
                .toArray();
    }

    /** The round whose xz time is the median (the lower one of two), for the CPU and load rows. */
    OwnerWorkload.Result typicalRound() {
        List<OwnerWorkload.Result> sorted = byRound.values().stream()
                .sorted(Comparator.comparingLong(OwnerWorkload.Result::xzWallNanos))
                .toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** Other people's CPU, worst kept run: a figure taken while someone else computed is not comparable. */
    double worstOthers() {
        return byRound.values().stream()
                .mapToDouble(r -> r.cpu().others())
                .max()
                .orElse(0);
    }

    private double median(ToDoubleFunction<OwnerWorkload.Result> f) {
        return median(byRound.values().stream().mapToDouble(f).toArray());
    }

    private double pairedMedian(
            OwnerCaseResult other, ToDoubleBiFunction<OwnerWorkload.Result, OwnerWorkload.Result> f) {
        return median(byRound.entrySet().stream()
                .filter(e -> other.byRound.containsKey(e.getKey()))
                .mapToDouble(e -> f.applyAsDouble(e.getValue(), other.byRound.get(e.getKey())))
                .toArray());
    }

    static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
