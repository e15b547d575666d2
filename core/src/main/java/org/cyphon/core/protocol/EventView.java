package org.cyphon.core.protocol;

import java.time.Instant;

/** One entry of a job's history ({@code GET /api/v1/jobs/{id}/events}). */
public record EventView(Instant time, String type, Integer attempt, String machine, String message) {}
