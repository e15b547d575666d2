package org.cyphon.core.owner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the sensors have said so far, as the latest signal of each kind from each source,
 * plus the recent load samples. Immutable: the agent swaps in {@link #with(OwnerSignal)}'s result
 * on every signal, and the simulator replays a trace the same way.
 *
 * <p>Cheap on purpose, because the agent folds in every input event: {@code with} copies a map of
 * a dozen entries, and only a {@link LoadSeen} touches the load history.
 *
 * <p>A source that vanished (a hot-unplugged keyboard, a sensor that died) can be dropped with
 * {@link #forgetSilent(Instant)}; its latest input time is kept as {@link #forgottenInput()},
 * because the owner did type then, whether or not that keyboard still exists.
 *
 * <p>One transition is remembered beyond the latest signals: when a session report stops showing
 * ongoing presence (the video was paused, the SSH session closed), that moment is owner activity
 * ({@link #ongoingEndedAt()}): someone was watching until then, so idle time counts from then, not
 * from their last keystroke before the video.
 */
public final class OwnerObservations {
    private record Key(Class<?> kind, String source) {}

    private final Instant watchingSince;
    private final boolean headless;
    private final PresenceSettings settings;
    // Insertion-ordered, so fusion visits sources in the same order on every run (determinism).
    private final Map<Key, OwnerSignal> latest;
    private final LoadHistory load;
    private final Instant forgottenInput;
    private final Instant ongoingEndedAt;

    private OwnerObservations(
            Instant watchingSince,
            boolean headless,
            PresenceSettings settings,
            Map<Key, OwnerSignal> latest,
            LoadHistory load,
            Instant forgottenInput,
            Instant ongoingEndedAt) {
        this.watchingSince = watchingSince;
        this.headless = headless;
        this.settings = settings;
        this.latest = latest;
        this.load = load;
        this.forgottenInput = forgottenInput;
        this.ongoingEndedAt = ongoingEndedAt;
    }

    /**
     * Nothing observed yet.
     *
     * @param watchingSince when the sensors started (the agent's start): with no activity seen, the
     *                      owner counts as idle since then, never longer
     * @param settings      the same settings later given to {@link PresenceFusion#fuse}: they say how
     *                      much load history to keep and which sessions and inhibitors count
     */
    public static OwnerObservations startingAt(Instant watchingSince, PresenceSettings settings) {
        return new OwnerObservations(
                watchingSince, false, settings, Map.of(), LoadHistory.empty(settings.loadHistory()), null, null);
    }

    /**
     * These observations, on a machine where no sensor can see a person at all (no input device,
     * no display, no local session): a headless box. Until some activity is seen there, nobody has
     * been seen at this desk ({@link Presence#nobodySeen()}), which counts as idle for good rather
     * than idle since watching began; a sensor that later sees input still makes the owner present.
     */
    public OwnerObservations headless() {
        if (headless) return this;
        return new OwnerObservations(watchingSince, true, settings, latest, load, forgottenInput, ongoingEndedAt);
    }

    /**
     * This plus one signal. It replaces the previous signal of the same kind and source unless that
     * one is newer (signals delivered late never roll the picture back).
     */
    public OwnerObservations with(OwnerSignal signal) {
        Key key = new Key(signal.getClass(), signal.source());
        OwnerSignal old = latest.get(key);
        if (old != null && old.at().isAfter(signal.at())) return this;
        Map<Key, OwnerSignal> next = new LinkedHashMap<>(latest);
        next.put(key, signal);
        LoadHistory nextLoad = signal instanceof LoadSeen l ? load.with(l) : load;
        Instant ended = ongoingEndedAt;
        if (signal instanceof SessionsSeen now
                && old instanceof SessionsSeen before
                && PresenceFusion.showsOngoing(before, settings)
                && !PresenceFusion.showsOngoing(now, settings)
                && (ended == null || now.at().isAfter(ended))) {
            ended = now.at();
        }
        return new OwnerObservations(
                watchingSince, headless, settings, Collections.unmodifiableMap(next), nextLoad, forgottenInput, ended);
    }

    /** Drops every source whose latest signal is older than {@code cutoff}, keeping their last input time. */
    public OwnerObservations forgetSilent(Instant cutoff) {
        Map<Key, OwnerSignal> next = new LinkedHashMap<>();
        Instant input = forgottenInput;
        for (Map.Entry<Key, OwnerSignal> e : latest.entrySet()) {
            OwnerSignal s = e.getValue();
            if (!s.at().isBefore(cutoff)) next.put(e.getKey(), s);
            else if (s instanceof InputSeen in
                    && in.lastInput() != null
                    && (input == null || in.lastInput().isAfter(input))) {
                input = in.lastInput();
            }
        }
        if (next.size() == latest.size()) return this;
        return new OwnerObservations(
                watchingSince, headless, settings, Collections.unmodifiableMap(next), load, input, ongoingEndedAt);
    }

    public Instant watchingSince() {
        return watchingSince;
    }

    /** No sensor can see a person at this machine (see {@link #headless()}). */
    public boolean isHeadless() {
        return headless;
    }

    /** The latest signal of each kind from each source, in no particular order. */
    public Collection<OwnerSignal> latest() {
        return latest.values();
    }

    /** The latest signals of one kind, one per source. */
    public <T extends OwnerSignal> List<T> latest(Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (OwnerSignal s : latest.values()) if (kind.isInstance(s)) out.add(kind.cast(s));
        return out;
    }

    public LoadHistory load() {
        return load;
    }

    public PresenceSettings settings() {
        return settings;
    }

    /** When a session report last stopped showing ongoing presence (inhibitor released, remote session gone); null if never. */
    public Instant ongoingEndedAt() {
        return ongoingEndedAt;
    }

    /** The latest input time of sources dropped by {@link #forgetSilent}; null when none. */
    public Instant forgottenInput() {
        return forgottenInput;
    }
}
