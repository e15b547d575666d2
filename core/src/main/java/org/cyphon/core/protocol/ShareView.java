package org.cyphon.core.protocol;

/**
 * One submitter's standing in fair share ({@code GET /api/v1/users}, {@code cyphon users}).
 *
 * @param usageCpuSeconds CPU-seconds of their ended attempts, decayed with the pool's half-life to now:
 *                        the lower, the sooner their jobs run
 * @param queued          their jobs waiting now
 * @param running         their attempts running now
 */
public record ShareView(String owner, double usageCpuSeconds, int queued, int running) {}
