package org.cyphon.core.owner;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The owner's load samples of the last {@link #window()}, oldest first: what hysteresis needs
 * ("owner demand above 0.5 CPUs for more than 2 minutes") without the policy keeping state of its
 * own. Immutable; {@link #with} copies at most one window of samples, which at one sample a second
 * is a few kilobytes a second, and input events never touch it.
 *
 * <p>Why samples rather than a running "busy since" timestamp: each policy has its own thresholds
 * (HTCondor 0.5 CPUs, BOINC 25 %, desktop "what the jobs leave free"), and a custom policy may be
 * swapped at run time; with the samples any threshold can be asked after the fact.
 */
public final class LoadHistory {
    /** A sensor gone wild (many samples a second) must not make copies expensive. */
    static final int MAX_SAMPLES = 4096;

    private static final LoadSeen[] NONE = new LoadSeen[0];

    private final LoadSeen[] samples;
    private final Duration window;

    private LoadHistory(LoadSeen[] samples, Duration window) {
        this.samples = samples;
        this.window = window;
    }

    /** @param window how far back samples are kept; must cover the longest "sustained for" a policy asks about */
    public static LoadHistory empty(Duration window) {
        if (window.isNegative() || window.isZero())
            throw new IllegalArgumentException("load history window must be positive");
        return new LoadHistory(NONE, window);
    }

    public Duration window() {
        return window;
    }

    public int size() {
        return samples.length;
    }

    /** The newest sample, or null when none arrived yet. */
    public LoadSeen latest() {
        return samples.length == 0 ? null : samples[samples.length - 1];
    }

    /**
     * Adds a sample; samples older than the window before it are dropped. A sample not newer than
     * the latest one (a late or repeated delivery) is ignored, so the history stays ordered.
     */
    public LoadHistory with(LoadSeen sample) {
        LoadSeen last = latest();
        if (last != null && !sample.at().isAfter(last.at())) return this;
        Instant oldestKept = sample.at().minus(window);
        int first = 0;
        while (first < samples.length && samples[first].at().isBefore(oldestKept)) first++;
        first = Math.max(first, samples.length + 1 - MAX_SAMPLES);
        LoadSeen[] next = Arrays.copyOfRange(samples, first, samples.length + 1);
        next[next.length - 1] = sample;
        return new LoadHistory(next, window);
    }

    /**
     * When the current run of samples satisfying {@code condition} began: the time of the oldest
     * sample of the unbroken run that ends with the latest sample. Null when the latest sample does
     * not satisfy it (or there is none). A run that reaches back past the window is reported as
     * starting at the oldest kept sample, which is at least one window ago.
     */
    public Instant heldSince(Predicate<LoadSeen> condition) {
        Instant since = null;
        for (int i = samples.length - 1; i >= 0 && condition.test(samples[i]); i--) since = samples[i].at();
        return since;
    }
}
