package org.cyphon.sim.engine;

import java.time.Instant;
import java.util.List;

/** A whole simulation: what was replayed, with which settings, and each policy's figures. */
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
        List<PolicyResult> policies) {
    public SimResult {
        policies = List.copyOf(policies);
    }
}
