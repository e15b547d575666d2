package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * The coordinators on the pool's store and who leads ({@code GET /api/v1/coordinators}).
 *
 * @param coordinators   every coordinator seen in the last day, by id
 * @param leader         the holder of the leader lease; null when no coordinator ever led or its lease ran out
 * @param epoch          the lease's fencing epoch: one more at each change of leader
 * @param leaderSince    when the leader took the lead
 * @param leaseExpiresAt when the leader's lease runs out unless it renews it
 * @param answeredBy     the id of the coordinator that answered
 */
public record CoordinatorList(
        List<CoordinatorView> coordinators,
        String leader,
        long epoch,
        Instant leaderSince,
        Instant leaseExpiresAt,
        String answeredBy) {}
