package org.cyphon.core.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runtimes learned from completed jobs with the same owner and name, for jobs submitted without
 * an estimate: the median of the last {@value #KEPT} runtimes. The median because one crashed or
 * killed run (seconds) or one stuck run (days) should not move the estimate much; the last few
 * because a job's runtime drifts as its input grows. Immutable.
 *
 * <p>Learning must not copy every estimate: a trace with program ids has tens of thousands of
 * (owner, name) keys (LLNL Thunder: 17,244), and a copy per completed job made the simulator
 * quadratic. So the estimates are a large map shared, never changed, by every later version, and
 * a small map of the keys learned since; learning copies only the small one, and folds it into a
 * new large one when it grows past about the square root of the large one's size: O(sqrt n) per
 * completion, amortized, instead of O(n).
 */
public final class RuntimeEstimates {
    /** How many recent runtimes each (owner, name) keeps. */
    public static final int KEPT = 9;

    /** Never changed once made; shared by the versions learned from this one. */
    private final Map<Key, long[]> base;
    /** Keys learned since {@link #base} was made; over base. Never changed once made either. */
    private final Map<Key, long[]> recent;

    private record Key(String owner, String name) {}

    private RuntimeEstimates(Map<Key, long[]> base, Map<Key, long[]> recent) {
        this.base = base;
        this.recent = recent;
    }

    public static RuntimeEstimates empty() {
        return new RuntimeEstimates(Map.of(), Map.of());
    }

    /** The estimates after a job named {@code name} of {@code owner} completed in {@code runtime}. */
    public RuntimeEstimates learn(String owner, String name, Duration runtime) {
        if (name == null || runtime == null || runtime.isNegative()) return this;
        return learnAll(List.of(new Completion(owner, name, runtime)));
    }

    /** The estimates after several completions, in order: one copy of the recent keys, not one per completion. */
    public RuntimeEstimates learnAll(List<Completion> completions) {
        Map<Key, long[]> next = new HashMap<>(recent);
        for (Completion c : completions) {
            if (c.name() != null && c.runtime() != null && !c.runtime().isNegative())
                add(next, new Key(c.owner(), c.name()), c.runtime().toMillis());
        }
        if (next.size() <= foldAt(base.size())) return new RuntimeEstimates(base, next);
        Map<Key, long[]> folded = new HashMap<>(base);
        folded.putAll(next);
        return new RuntimeEstimates(folded, Map.of());
    }

    /** How many recent keys to keep apart before folding them into the base: about 2 sqrt(n), at least 64. */
    private static int foldAt(int baseSize) {
        return Math.max(64, 2 * (int) Math.sqrt(baseSize));
    }

    private long[] recentRuns(Map<Key, long[]> next, Key key) {
        long[] r = next.get(key);
        return r != null ? r : base.get(key);
    }

    private void add(Map<Key, long[]> next, Key key, long millis) {
        long[] old = recentRuns(next, key);
        long[] runs;
        if (old == null) {
            runs = new long[] {millis};
        } else if (old.length < KEPT) {
            runs = Arrays.copyOf(old, old.length + 1);
            runs[old.length] = millis;
        } else {
            runs = new long[KEPT];
            System.arraycopy(old, 1, runs, 0, KEPT - 1);
            runs[KEPT - 1] = millis;
        }
        next.put(key, runs);
    }

    /** The expected runtime of the next such job; null when none completed yet. */
    public Duration estimate(String owner, String name) {
        if (name == null) return null;
        long[] runs = recentRuns(recent, new Key(owner, name));
        if (runs == null) return null;
        long[] sorted = runs.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        long median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return Duration.ofMillis(median);
    }

    /** The state to persist: each (owner, name) with its recent runtimes, oldest first. */
    public List<History> snapshot() {
        Map<Key, long[]> all = new HashMap<>(base);
        all.putAll(recent);
        List<History> out = new ArrayList<>();
        all.forEach((k, v) -> out.add(new History(k.owner(), k.name(), v.clone())));
        out.sort(Comparator.comparing(History::owner, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
                .thenComparing(History::name));
        return out;
    }

    public static RuntimeEstimates restore(List<History> histories) {
        Map<Key, long[]> map = new HashMap<>();
        for (History h : histories) {
            long[] r = h.recentMillis();
            if (h.name() == null || r == null || r.length == 0) continue;
            map.put(new Key(h.owner(), h.name()), Arrays.copyOfRange(r, Math.max(0, r.length - KEPT), r.length));
        }
        return new RuntimeEstimates(map, Map.of());
    }

    /** One completed job, for {@link #learnAll}. */
    public record Completion(String owner, String name, Duration runtime) {}

    /** One (owner, name)'s recent runtimes in milliseconds, oldest first. */
    public record History(String owner, String name, long[] recentMillis) {
        @Override
        public boolean equals(Object o) {
            return o instanceof History h
                    && Objects.equals(owner, h.owner)
                    && Objects.equals(name, h.name)
                    && Arrays.equals(recentMillis, h.recentMillis);
        }

        @Override
        public int hashCode() {
            return Objects.hash(owner, name, Arrays.hashCode(recentMillis));
        }

        @Override
        public String toString() {
            return "History[" + owner + "/" + name + ", " + Arrays.toString(recentMillis) + "]";
        }
    }
}
