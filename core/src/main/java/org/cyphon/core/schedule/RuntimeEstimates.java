package org.cyphon.core.schedule;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Runtimes learned from completed jobs with the same owner and name, for jobs submitted without
 * an estimate. Immutable.
 */
public final class RuntimeEstimates {
    private final Map<String, Duration> byKey;

    private RuntimeEstimates(Map<String, Duration> byKey) {
        this.byKey = byKey;
    }

    public static RuntimeEstimates empty() {
        return new RuntimeEstimates(Map.of());
    }

    /** The estimates after a job named {@code name} of {@code owner} completed in {@code runtime}. */
    public RuntimeEstimates learn(String owner, String name, Duration runtime) {
        if (name == null) return this;
        Map<String, Duration> next = new HashMap<>(byKey);
        next.merge(key(owner, name), runtime, (old, now) -> old.plus(now).dividedBy(2));
        return new RuntimeEstimates(Map.copyOf(next));
    }

    /** The expected runtime of the next such job; null when none completed yet. */
    public Duration estimate(String owner, String name) {
        return name == null ? null : byKey.get(key(owner, name));
    }

    private static String key(String owner, String name) {
        return owner + "\u0000" + name;
    }
}
