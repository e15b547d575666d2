package org.cyphon.sim.engine;

import java.time.Instant;
import java.util.List;

/**
 * A whole simulation: what was replayed, with which settings, and each policy's figures.
 *
 * @param heatmapDesks the names of the desks in each policy's heatmap rows, in order
 */
public record SimResult(
        String ownerSource,
        String presenceRule,
        String jobSource,
        Instant origin,
        long horizonMs,
        int desks,
        long jobsInTrace,
        long jobsSkippedByReader,
        long jobsCpuCapped,
        SimConfig config,
        List<PolicyResult> policies,
        List<String> heatmapDesks) {
    public SimResult {
        policies = List.copyOf(policies);
        heatmapDesks = List.copyOf(heatmapDesks);
    }
}
