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
 */
public final class RuntimeEstimates {
    /** How many recent runtimes each (owner, name) keeps. */
    public static final int KEPT = 9;

    private final Map<Key, long[]> byKey;

    private record Key(String owner, String name) {}

    private RuntimeEstimates(Map<Key, long[]> byKey) {
        this.byKey = byKey;
    }

    public static RuntimeEstimates empty() {
        return new RuntimeEstimates(Map.of());
    }

    /** The estimates after a job named {@code name} of {@code owner} completed in {@code runtime}. */
    public RuntimeEstimates learn(String owner, String name, Duration runtime) {
        if (name == null || runtime == null || runtime.isNegative()) return this;
        Map<Key, long[]> next = new HashMap<>(byKey);
        add(next, new Key(owner, name), runtime.toMillis());
        return new RuntimeEstimates(next);
    }

    /** The estimates after several completions, in order: one copy instead of one per completion. */
    public RuntimeEstimates learnAll(List<Completion> completions) {
        Map<Key, long[]> next = new HashMap<>(byKey);
        for (Completion c : completions) {
            if (c.name() != null && c.runtime() != null && !c.runtime().isNegative())
                add(next, new Key(c.owner(), c.name()), c.runtime().toMillis());
        }
        return new RuntimeEstimates(next);
    }

    private static void add(Map<Key, long[]> map, Key key, long millis) {
        long[] old = map.get(key);
        long[] recent;
        if (old == null) {
            recent = new long[] {millis};
        } else if (old.length < KEPT) {
            recent = Arrays.copyOf(old, old.length + 1);
            recent[old.length] = millis;
        } else {
            recent = new long[KEPT];
            System.arraycopy(old, 1, recent, 0, KEPT - 1);
            recent[KEPT - 1] = millis;
        }
        map.put(key, recent);
    }

    /** The expected runtime of the next such job; null when none completed yet. */
    public Duration estimate(String owner, String name) {
        if (name == null) return null;
        long[] recent = byKey.get(new Key(owner, name));
        if (recent == null) return null;
        long[] sorted = recent.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        long median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return Duration.ofMillis(median);
    }

    /** The state to persist: each (owner, name) with its recent runtimes, oldest first. */
    public List<History> snapshot() {
        List<History> out = new ArrayList<>();
        byKey.forEach((k, v) -> out.add(new History(k.owner(), k.name(), v.clone())));
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
        return new RuntimeEstimates(map);
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
