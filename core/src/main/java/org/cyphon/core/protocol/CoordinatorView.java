package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * One coordinator process on the pool's store ({@code GET /api/v1/coordinators}).
 *
 * @param id        its address as it names itself ({@code host:port})
 * @param url       where it serves the API
 * @param startedAt when it first registered under this id
 * @param lastSeen  its last lease tick; a coordinator not seen for a lease is presumed gone
 * @param leader    it holds the leader lease now (runs the scheduler and the lease keeper)
 */
public record CoordinatorView(String id, String url, Instant startedAt, Instant lastSeen, boolean leader) {}
