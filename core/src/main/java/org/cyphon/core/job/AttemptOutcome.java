package org.cyphon.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an attempt ended. An agent reports the first four ({@code AttemptReport.outcome}); the
 * coordinator alone decides {@link #LOST} (the lease ran out, the machine enrolled again), which no
 * agent can report. On the wire and in the store each is its {@link #wireName()}.
 */
public enum AttemptOutcome {
    /** The process exited, by itself or by a signal not ours: the job completes (or requeues from its checkpoint). */
    EXITED,
    /** It could not be launched: counts as a lost attempt. */
    FAILED_TO_START,
    /** Stopped because the coordinator asked (cancel, hold, stale); unasked for, it counts as lost. */
    KILLED,
    /** It left the machine on purpose (owner back, preempted): queued again without using an attempt. */
    VACATED,
    /** The coordinator's verdict when its lease ran out or its machine enrolled again; never reported. */
    LOST;

    private static final String REPORTED = Arrays.stream(values())
            .filter(AttemptOutcome::reported)
            .map(AttemptOutcome::wireName)
            .collect(Collectors.joining(", "));

    /** Whether an agent may report it (every outcome but {@link #LOST}). */
    public boolean reported() {
        return this != LOST;
    }

    /** Lower-case name used on the wire, in the store and in the CLI: {@code failed_to_start}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcomes an agent may report, as the wire spells them: "exited, failed_to_start, killed, vacated". */
    public static String reportedNames() {
        return REPORTED;
    }

    /** @throws IllegalArgumentException naming the value and the outcomes accepted */
    @JsonCreator
    public static AttemptOutcome fromWire(String s) {
        for (AttemptOutcome o : values()) if (o.wireName().equals(s)) return o;
        throw new IllegalArgumentException("unknown attempt outcome '" + s + "' (an agent reports one of " + REPORTED
                + "; the coordinator records lost)");
    }
}
