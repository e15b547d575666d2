package org.cyphon.sim.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything a simulation run is told besides its traces. Defaults are stated in
 * {@link #defaults()} and in docs/simulator.md.
 *
 * @param policies               preset names, run one after another on the same traces
 * @param cores                  a desk's cores when the owner trace does not say
 * @param ownerCpusWhilePresent  the owner's demand, in CPUs, while present, when no CPU series gives it
 * @param lingerSlowdown         the owner's residual slowdown beside idle-priority guest work
 *                               (fraction of the owner's CPU time; bench/run owner measures it)
 * @param checkpointCost         how long writing one checkpoint takes
 * @param checkpointable         the fraction of jobs that can checkpoint (chosen per job from the seed)
 * @param placementEvery         how often a placement pass may run (the coordinator's cycle)
 * @param saturate               a never-empty queue of synthetic jobs instead of (or after) the trace
 * @param saturateRuntime        each synthetic job's work
 * @param seed                   for the per-job checkpointable draw
 * @param visibleUnservedCpuSeconds an owner arrival is owner-visible when, during that presence,
 *                               the owner's demand went unserved for more than this many CPU-seconds
 * @param normalPriority         presets whose running jobs compete at normal priority (HTCondor
 *                               does not renice jobs by default); all others run guest work at idle
 *                               priority, as Cyphon's agent does
 * @param heatmapDesks           how many desks the report's heatmap shows
 * @param placementOffers        at most this many open desks are offered to one placement pass (0: all);
 *                               a rotating, unbiased selection, only to bound the cost of forecasts
 * @param power                  announced shutdowns, desks that sleep and wake, and the watts they draw
 */
public record SimConfig(
        List<String> policies,
        int cores,
        double ownerCpusWhilePresent,
        double lingerSlowdown,
        Duration checkpointCost,
        double checkpointable,
        Duration placementEvery,
        boolean saturate,
        Duration saturateRuntime,
        long seed,
        double visibleUnservedCpuSeconds,
        Set<String> normalPriority,
        int heatmapDesks,
        int threads,
        int placementOffers,
        PowerSettings power) {
    public static final double TAU_SECONDS = 10;

    public SimConfig {
        policies = List.copyOf(policies);
        normalPriority = Set.copyOf(normalPriority);
        if (power == null) power = PowerSettings.defaults();
    }

    /** A configuration with the default power settings ({@link PowerSettings#defaults()}). */
    public SimConfig(
            List<String> policies,
            int cores,
            double ownerCpusWhilePresent,
            double lingerSlowdown,
            Duration checkpointCost,
            double checkpointable,
            Duration placementEvery,
            boolean saturate,
            Duration saturateRuntime,
            long seed,
            double visibleUnservedCpuSeconds,
            Set<String> normalPriority,
            int heatmapDesks,
            int threads,
            int placementOffers) {
        this(
                policies,
                cores,
                ownerCpusWhilePresent,
                lingerSlowdown,
                checkpointCost,
                checkpointable,
                placementEvery,
                saturate,
                saturateRuntime,
                seed,
                visibleUnservedCpuSeconds,
                normalPriority,
                heatmapDesks,
                threads,
                placementOffers,
                null);
    }

    public static SimConfig defaults() {
        return new SimConfig(
                defaultPolicies(),
                4,
                0.25,
                0.02,
                Duration.ofSeconds(60),
                0.5,
                Duration.ofSeconds(60),
                false,
                Duration.ofHours(1),
                1,
                1.0,
                Set.of("htcondor-desktop"),
                40,
                2,
                0,
                PowerSettings.defaults());
    }

    /** Every preset; custom CEL policies are not presets and are not simulated by name. */
    public static List<String> defaultPolicies() {
        return org.cyphon.core.policy.PolicyPresets.names();
    }

    public SimConfig withPolicies(List<String> p) {
        return new SimConfig(
                p,
                cores,
                ownerCpusWhilePresent,
                lingerSlowdown,
                checkpointCost,
                checkpointable,
                placementEvery,
                saturate,
                saturateRuntime,
                seed,
                visibleUnservedCpuSeconds,
                normalPriority,
                heatmapDesks,
                threads,
                placementOffers,
                power);
    }

    public SimConfig withCores(int c) {
        return new SimConfig(
                policies,
                c,
                ownerCpusWhilePresent,
                lingerSlowdown,
                checkpointCost,
                checkpointable,
                placementEvery,
                saturate,
                saturateRuntime,
                seed,
                visibleUnservedCpuSeconds,
                normalPriority,
                heatmapDesks,
                threads,
                placementOffers,
                power);
    }

    public SimConfig withSaturate(boolean s) {
        return new SimConfig(
                policies,
                cores,
                ownerCpusWhilePresent,
                lingerSlowdown,
                checkpointCost,
                checkpointable,
                placementEvery,
                s,
                saturateRuntime,
                seed,
                visibleUnservedCpuSeconds,
                normalPriority,
                heatmapDesks,
                threads,
                placementOffers,
                power);
    }

    public SimConfig withCheckpointable(double f) {
        return new SimConfig(
                policies,
                cores,
                ownerCpusWhilePresent,
                lingerSlowdown,
                checkpointCost,
                f,
                placementEvery,
                saturate,
                saturateRuntime,
                seed,
                visibleUnservedCpuSeconds,
                normalPriority,
                heatmapDesks,
                threads,
                placementOffers,
                power);
    }

    public SimConfig withPower(PowerSettings p) {
        return new SimConfig(
                policies,
                cores,
                ownerCpusWhilePresent,
                lingerSlowdown,
                checkpointCost,
                checkpointable,
                placementEvery,
                saturate,
                saturateRuntime,
                seed,
                visibleUnservedCpuSeconds,
                normalPriority,
                heatmapDesks,
                threads,
                placementOffers,
                p);
    }
}
