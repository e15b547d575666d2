package org.cyphon.core.protocol;

/**
 * What a filtered cancel, hold or release did ({@code POST /api/v1/jobs/cancel?state=...}).
 *
 * @param changed   jobs the action changed
 * @param unchanged jobs the filter matched in a state where the action does nothing (a hold of a
 *                  held job, a release of a queued one)
 */
public record JobsChanged(String action, int changed, int unchanged) {}
