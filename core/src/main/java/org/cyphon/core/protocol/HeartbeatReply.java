package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * {@code stop}: attempts the agent must kill now (cancelled, held, or stale: no longer the job's
 * current attempt). {@code leaseExpiresAt}: when the renewed leases run out without another beat.
 * {@code overloadUntil}: when the pool's overload mode ends; null when it is off.
 */
public record HeartbeatReply(List<AttemptRef> stop, Instant leaseExpiresAt, boolean drained, Instant overloadUntil) {}
