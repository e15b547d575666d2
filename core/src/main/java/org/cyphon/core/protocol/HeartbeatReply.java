package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * {@code stop}: attempts the agent must kill now (cancelled, held, or stale: no longer the job's
 * current attempt). {@code leaseExpiresAt}: when the renewed leases run out without another beat.
 * {@code overloadUntil}: when the pool's overload mode ends; null when it is off.
 * {@code ownerExpectedBy}: while the owner is away, when the track record expects them back (the
 * horizon they stay away with probability 0.5): the desk VM is restored ahead of it; null when the
 * owner is present or nothing is known. {@code awayUntil}: the end of a declared absence in force
 * (a vacation): the desk VM may stay saved until then; null when none.
 * {@code vacate}: attempts placement preempts for higher-priority work; the agent asks each to
 * checkpoint and then vacates it exactly as its desk policy would (requeued, no attempt used).
 * Only attempts that can checkpoint are ever listed. Null or empty: none.
 * {@code agentToken}: the agent's new credential after an admin asked to rotate it
 * ({@code cyphon machine NAME --rotate-credentials}): the agent keeps it and uses it from its next
 * call, which retires the old one; null: keep the current one.
 */
public record HeartbeatReply(
        List<AttemptRef> stop,
        Instant leaseExpiresAt,
        boolean drained,
        Instant overloadUntil,
        Instant ownerExpectedBy,
        Instant awayUntil,
        List<AttemptRef> vacate,
        String agentToken) {
    public HeartbeatReply {
        vacate = vacate == null ? List.of() : List.copyOf(vacate);
    }

    /** A reply that hands out no new credential. */
    public HeartbeatReply(
            List<AttemptRef> stop,
            Instant leaseExpiresAt,
            boolean drained,
            Instant overloadUntil,
            Instant ownerExpectedBy,
            Instant awayUntil,
            List<AttemptRef> vacate) {
        this(stop, leaseExpiresAt, drained, overloadUntil, ownerExpectedBy, awayUntil, vacate, null);
    }

    /** The same reply, handing out {@code token} as the agent's new credential. */
    public HeartbeatReply withAgentToken(String token) {
        return new HeartbeatReply(
                stop, leaseExpiresAt, drained, overloadUntil, ownerExpectedBy, awayUntil, vacate, token);
    }

    @Override
    public String toString() {
        return "HeartbeatReply[stop=" + stop + ", leaseExpiresAt=" + leaseExpiresAt + ", drained=" + drained
                + ", overloadUntil=" + overloadUntil + ", vacate=" + vacate + ", agentToken="
                + (agentToken == null ? "null" : "<hidden>") + "]";
    }

    /** A reply that asks for no vacate. */
    public HeartbeatReply(
            List<AttemptRef> stop,
            Instant leaseExpiresAt,
            boolean drained,
            Instant overloadUntil,
            Instant ownerExpectedBy,
            Instant awayUntil) {
        this(stop, leaseExpiresAt, drained, overloadUntil, ownerExpectedBy, awayUntil, List.of(), null);
    }

    /** A reply that says nothing of the owner's return. */
    public HeartbeatReply(
            List<AttemptRef> stop,
            Instant leaseExpiresAt,
            boolean drained,
            Instant overloadUntil,
            List<AttemptRef> vacate) {
        this(stop, leaseExpiresAt, drained, overloadUntil, null, null, vacate, null);
    }

    /** A reply that says nothing of the owner's return and asks for no vacate. */
    public HeartbeatReply(List<AttemptRef> stop, Instant leaseExpiresAt, boolean drained, Instant overloadUntil) {
        this(stop, leaseExpiresAt, drained, overloadUntil, null, null, List.of(), null);
    }
}
