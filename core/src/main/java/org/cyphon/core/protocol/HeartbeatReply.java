package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * {@code stop}: attempts the agent must kill now (cancelled, held, or stale: no longer the job's
 * current attempt). {@code leaseExpiresAt}: when the renewed leases run out without another beat.
 * {@code overloadUntil}: when the pool's overload mode ends; null when it is off.
 * {@code vacate}: attempts placement preempts for higher-priority work; the agent asks each to
 * checkpoint and then vacates it exactly as its desk policy would (requeued, no attempt used).
 * Only attempts that can checkpoint are ever listed. Null or empty: none.
 */
public record HeartbeatReply(List<AttemptRef> stop, Instant leaseExpiresAt, boolean drained, Instant overloadUntil,
                             List<AttemptRef> vacate) {
    public HeartbeatReply {
        vacate = vacate == null ? List.of() : List.copyOf(vacate);
    }

    /** A reply that asks for no vacate. */
    public HeartbeatReply(List<AttemptRef> stop, Instant leaseExpiresAt, boolean drained, Instant overloadUntil) {
        this(stop, leaseExpiresAt, drained, overloadUntil, List.of());
    }
}
