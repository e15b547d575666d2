package org.cyphon.core.policy;

import java.time.Instant;
import org.cyphon.core.owner.Presence;

/**
 * When work may start on a desk and what running work does while the owner comes and goes: a pure
 * function of presence, machine facts, the attempt and the time. The agent's policy loop, the
 * simulator and the tests all call the same code.
 *
 * <p>How the agent uses it: on every owner signal, fold it into the observations, fuse a
 * {@link Presence}, and call {@link #decide} for each attempt and {@link #mayStart} for the offer;
 * apply the actions; arm one timer for the earliest {@code reconsiderAt} and, when it fires, decide
 * again passing that instant as {@code now}. No polling interval is needed: nothing changes between
 * a signal and the next {@code reconsiderAt}.
 *
 * <p>Implementations are immutable and safe to share between threads.
 */
public interface Policy {

    /** Builds the policy the settings describe: the preset's thresholds, or the custom CEL expressions. */
    static Policy of(PolicySettings settings) {
        Policy p = settings.custom() ? CelPolicy.compile(settings) : new ThresholdPolicy(settings);
        return settings.evaluateEvery().isZero() ? p : new OnTicks(p);
    }

    /** The preset's name, plus "(custom expressions)" for a CEL policy. */
    String name();

    PolicySettings settings();

    /** May new work start on this desk now, and may new GPU work. */
    StartDecision mayStart(Instant now, Presence presence, MachineFacts machine);

    /** What to do with one attempt now. */
    Decision decide(PolicyInput in);
}
