package org.cyphon.core.policy;

import java.time.Instant;
import java.util.List;

/**
 * The machine-level decision: may new work start on this desk now (the agent's offer says
 * "accepting" accordingly), and why not.
 *
 * @param allowed      new work may start
 * @param gpuAllowed   new GPU work may start (never when {@code allowed} is false)
 * @param reasons      short sentences: why, or why not
 * @param reconsiderAt the earliest instant the answer would change without a new signal; null if never
 */
public record StartDecision(boolean allowed, boolean gpuAllowed, List<String> reasons, Instant reconsiderAt) {
    public StartDecision {
        reasons = List.copyOf(reasons);
        if (gpuAllowed && !allowed) throw new IllegalArgumentException("GPU work cannot start when no work may");
    }

    StartDecision withReconsiderAt(Instant at) {
        return new StartDecision(allowed, gpuAllowed, reasons, at);
    }

    boolean sameAnswer(StartDecision other) {
        return allowed == other.allowed && gpuAllowed == other.gpuAllowed;
    }
}
