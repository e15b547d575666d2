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

    public static SimConfig defaults() {
        return builder().build();
    }

    /** Every preset; custom CEL policies are not presets and are not simulated by name. */
    public static List<String> defaultPolicies() {
        return org.cyphon.core.policy.PolicyPresets.names();
    }

    /** A builder holding the defaults, to change only the settings a run is told. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change some of its settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.policies = policies;
        b.cores = cores;
        b.ownerCpusWhilePresent = ownerCpusWhilePresent;
        b.lingerSlowdown = lingerSlowdown;
        b.checkpointCost = checkpointCost;
        b.checkpointable = checkpointable;
        b.placementEvery = placementEvery;
        b.saturate = saturate;
        b.saturateRuntime = saturateRuntime;
        b.seed = seed;
        b.visibleUnservedCpuSeconds = visibleUnservedCpuSeconds;
        b.normalPriority = normalPriority;
        b.heatmapDesks = heatmapDesks;
        b.threads = threads;
        b.placementOffers = placementOffers;
        b.power = power;
        return b;
    }

    public SimConfig withPolicies(List<String> p) {
        return toBuilder().policies(p).build();
    }

    public SimConfig withSaturate(boolean s) {
        return toBuilder().saturate(s).build();
    }

    public SimConfig withCheckpointable(double f) {
        return toBuilder().checkpointable(f).build();
    }

    public SimConfig withPower(PowerSettings p) {
        return toBuilder().power(p).build();
    }

    /** Names the settings a run changes; every one not set keeps its default. */
    public static final class Builder {
        private List<String> policies = defaultPolicies();
        private int cores = 4;
        private double ownerCpusWhilePresent = 0.25;
        private double lingerSlowdown = 0.02;
        private Duration checkpointCost = Duration.ofSeconds(60);
        private double checkpointable = 0.5;
        private Duration placementEvery = Duration.ofSeconds(60);
        private boolean saturate = false;
        private Duration saturateRuntime = Duration.ofHours(1);
        private long seed = 1;
        private double visibleUnservedCpuSeconds = 1.0;
        private Set<String> normalPriority = Set.of("htcondor-desktop");
        private int heatmapDesks = 40;
        private int threads = 2;
        private int placementOffers = 0;
        private PowerSettings power = PowerSettings.defaults();

        private Builder() {}

        public Builder policies(List<String> value) {
            policies = value;
            return this;
        }

        public Builder cores(int value) {
            cores = value;
            return this;
        }

        public Builder ownerCpusWhilePresent(double value) {
            ownerCpusWhilePresent = value;
            return this;
        }

        public Builder lingerSlowdown(double value) {
            lingerSlowdown = value;
            return this;
        }

        public Builder checkpointCost(Duration value) {
            checkpointCost = value;
            return this;
        }

        public Builder checkpointable(double value) {
            checkpointable = value;
            return this;
        }

        public Builder placementEvery(Duration value) {
            placementEvery = value;
            return this;
        }

        public Builder saturate(boolean value) {
            saturate = value;
            return this;
        }

        public Builder saturateRuntime(Duration value) {
            saturateRuntime = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder visibleUnservedCpuSeconds(double value) {
            visibleUnservedCpuSeconds = value;
            return this;
        }

        public Builder normalPriority(Set<String> value) {
            normalPriority = value;
            return this;
        }

        public Builder heatmapDesks(int value) {
            heatmapDesks = value;
            return this;
        }

        public Builder threads(int value) {
            threads = value;
            return this;
        }

        public Builder placementOffers(int value) {
            placementOffers = value;
            return this;
        }

        public Builder power(PowerSettings value) {
            power = value;
            return this;
        }

        public SimConfig build() {
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
                    power);
        }
    }
}
