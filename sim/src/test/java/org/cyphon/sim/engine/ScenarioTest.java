package org.cyphon.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.ProfileSettings;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.core.schedule.CheckpointInterval;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.TraceJob;
import org.cyphon.sim.owners.DeskTrace;
import org.cyphon.sim.owners.OwnerSources;
import org.cyphon.sim.owners.OwnerTrace;
import org.junit.jupiter.api.Test;

/** Tiny hand-made scenarios whose figures can be worked out by hand (see each test's comment). */
class ScenarioTest {
    static final long S = 1000;
    static final long H = 3600 * S;

    /** One desk from segments given as (start s, end s, state). */
    static OwnerTrace oneDesk(Object... segs) {
        int n = segs.length / 3;
        long[] st = new long[n];
        long[] en = new long[n];
        OwnerState[] state = new OwnerState[n];
        float[] cpus = new float[n];
        for (int i = 0; i < n; i++) {
            st[i] = ((Number) segs[3 * i]).longValue() * S;
            en[i] = ((Number) segs[3 * i + 1]).longValue() * S;
            state[i] = (OwnerState) segs[3 * i + 2];
            cpus[i] = Float.NaN;
        }
        DeskTrace d = new DeskTrace("desk1", 0, ZoneOffset.UTC, st, en, state, cpus);
        return new OwnerTrace(OwnerSources.DEFAULT_ORIGIN, en[n - 1], List.of(d), "test", null);
    }

    static JobTrace jobs(TraceJob... j) {
        return new JobTrace(List.of(j), "test", 0, 0);
    }

    static SimConfig cfg(String... policies) {
        return SimConfig.defaults().withPolicies(List.of(policies)).withCheckpointable(0);
    }

    static PolicyResult only(SimResult r) {
        assertThat(r.policies()).hasSize(1);
        return r.policies().getFirst();
    }

    @Test
    void aDedicatedDeskWhoseOwnerIsAlwaysAwayIsHarvestedWhole() {
        // Never-empty queue of 1-CPU, 1-hour jobs; the owner never comes: every core is busy all the time.
        OwnerTrace owners = oneDesk(0, 48 * 3600, OwnerState.AWAY);
        PolicyResult p =
                only(Simulation.run(owners, JobTrace.none(), cfg("dedicated").withSaturate(true)));

        assertThat(p.idleCpuSecondsAvailable()).isEqualTo(4 * 48 * 3600.0);
        assertThat(p.harvestEfficiency()).isGreaterThan(0.99).isLessThanOrEqualTo(1.0);
        assertThat(p.jobsCompleted()).isGreaterThanOrEqualTo(4 * 47);
        assertThat(p.ownerInterferenceCpuSeconds()).isZero();
        assertThat(p.wastedCpuSeconds()).isZero();
    }

    @Test
    void anOwnerAlwaysPresentUnderStrictGivesNothingAndSuffersNothing() {
        OwnerTrace owners = oneDesk(0, 24 * 3600, OwnerState.PRESENT);
        PolicyResult p =
                only(Simulation.run(owners, JobTrace.none(), cfg("strict").withSaturate(true)));

        assertThat(p.usefulCpuSeconds()).isZero();
        assertThat(p.harvestEfficiency()).isZero();
        assertThat(p.ownerInterferenceCpuSeconds()).isZero();
        assertThat(p.ownerVisibleEvents()).isZero();
        assertThat(p.idleCpuSecondsAvailable()).isCloseTo((4 - 0.25) * 24 * 3600, within(1e-6));
    }

    /**
     * Away 0-1 h, the owner at the desk from 1:00:02 to 2:00, away until 3:00; one 1-CPU job of
     * 2.5 h, not checkpointable, submitted at 0.
     */
    static final OwnerTrace VISIT =
            oneDesk(0, 3602, OwnerState.AWAY, 3602, 7200, OwnerState.PRESENT, 7200, 10800, OwnerState.AWAY);

    static final JobTrace ONE_JOB = jobs(new TraceJob(1, 0, 9000, 1, 9000, "u1", "sweep"));

    @Test
    void desktopLingersBesideTheOwnerAtTheStatedCost() {
        // Starts at once (start_while_present = linger: desktop does not wait for start_after_idle),
        // lingers at idle priority through the visit (the owner's 0.25 CPUs leave it a whole core),
        // finishes at 9000 s. Cost to the owner: 0.02 x 0.25 CPUs x 3598 s.
        PolicyResult p = only(Simulation.run(VISIT, ONE_JOB, cfg("desktop")));

        assertThat(p.jobsCompleted()).isEqualTo(1);
        assertThat(p.meanWaitSeconds()).isEqualTo(0);
        assertThat(p.makespanSeconds()).isEqualTo(9000);
        assertThat(p.usefulCpuSeconds()).isCloseTo(9000, within(1e-6));
        assertThat(p.lingerCostCpuSeconds()).isCloseTo(0.02 * 0.25 * 3598, within(1e-6));
        assertThat(p.normalPriorityCpuSecondsWhilePresent()).isZero();
        assertThat(p.ownerInterferenceCpuSeconds()).isCloseTo(0.02 * 0.25 * 3598, within(1e-6));
        assertThat(p.ownerVisibleEvents()).isZero();
        assertThat(p.wastedCpuSeconds()).isZero();
    }

    @Test
    void htcondorRunsOnUntilItsNextTickThenFreezesAndEvictsTheJob() {
        // Starts after 15 min idle (900 s); runs at normal priority until the 5 s tick after the
        // owner arrives (3605 s: 3 CPU-s taken from the owner), freezes, and 10 min later evicts the
        // job, which cannot checkpoint: 3605 - 900 = 2705 s of work lost. The desk is idle again
        // at 7200 s; 15 min later the job starts over and cannot finish by 3 h.
        PolicyResult p = only(Simulation.run(VISIT, ONE_JOB, cfg("htcondor-desktop")));

        assertThat(p.meanWaitSeconds()).isEqualTo(900);
        assertThat(p.normalPriorityCpuSecondsWhilePresent()).isCloseTo(3, within(1e-6));
        assertThat(p.ownerInterferenceCpuSeconds()).isCloseTo(3, within(1e-6));
        assertThat(p.freezes()).isEqualTo(1);
        assertThat(p.vacates()).isEqualTo(1);
        assertThat(p.wastedCpuSeconds()).isCloseTo(2705, within(1e-6));
        assertThat(p.jobsCompleted()).isZero();
        assertThat(p.jobsUnfinished()).isEqualTo(1);
        // The second attempt runs from 8100 s to the horizon (10800 s) and saves nothing: in progress, not useful.
        assertThat(p.inProgressCpuSeconds()).isCloseTo(2700, within(1e-6));
        assertThat(p.usefulCpuSeconds()).isCloseTo(0, within(1e-6));
        assertThat(p.meanBoundedSlowdown()).isNaN();
        assertThat(p.makespanSeconds()).isNaN();
    }

    @Test
    void aDeskSwitchedOffLosesWhatWasNotCheckpointed() {
        OwnerTrace owners = oneDesk(0, 3600, OwnerState.AWAY, 3600, 7200, OwnerState.OFF, 7200, 7260, OwnerState.AWAY);
        PolicyResult p = only(Simulation.run(owners, ONE_JOB, cfg("dedicated")));

        assertThat(p.attemptsLostToPowerOff()).isEqualTo(1);
        assertThat(p.wastedCpuSeconds()).isCloseTo(3600, within(1e-6));
        // Nothing is available while the desk is off.
        assertThat(p.idleCpuSecondsAvailable()).isEqualTo(4 * 3660.0);
    }

    @Test
    void jobsSubmittedAfterTheOwnerTraceEndsAreLeftOut() {
        OwnerTrace owners = oneDesk(0, 3600, OwnerState.AWAY);
        JobTrace j = jobs(
                new TraceJob(1, 0, 60, 1, -1, "u", null),
                new TraceJob(2, 3600 * S, 60, 1, -1, "u", null),
                new TraceJob(3, 7200 * S, 60, 1, -1, "u", null));
        PolicyResult p = only(Simulation.run(owners, j, cfg("dedicated")));

        assertThat(p.jobsLeftOut()).isEqualTo(2);
        assertThat(p.jobsCompleted()).isEqualTo(1);
    }

    /** Always away for 4 h; one 1-CPU job of 10 h submitted at 0, on a dedicated desk. */
    static final OwnerTrace FOUR_HOURS_AWAY = oneDesk(0, 4 * 3600, OwnerState.AWAY);

    static final JobTrace TEN_HOUR_JOB = jobs(new TraceJob(1, 0, 36_000, 1, 36_000, "u1", "long"));

    @Test
    void workInProgressAtTheHorizonThatCannotBeResumedIsNotHarvest() {
        // Starts at 0, runs 4 h of its 10 h and cannot checkpoint: whether that attempt would have
        // finished is unknown, so its 14,400 CPU-s are in progress, neither useful nor wasted.
        PolicyResult p = only(Simulation.run(FOUR_HOURS_AWAY, TEN_HOUR_JOB, cfg("dedicated")));

        assertThat(p.inProgressCpuSeconds()).isCloseTo(14_400, within(1e-6));
        assertThat(p.usefulCpuSeconds()).isCloseTo(0, within(1e-6));
        assertThat(p.harvestEfficiency()).isCloseTo(0, within(1e-12));
        assertThat(p.wastedCpuSeconds()).isZero();
        assertThat(p.jobsCompleted()).isZero();
        assertThat(p.jobsUnfinished()).isEqualTo(1);
        assertThat(p.meanWaitSeconds()).isZero();
        assertThat(p.meanBoundedSlowdown()).isNaN();
        assertThat(p.makespanSeconds()).isNaN();
    }

    @Test
    void checkpointedWorkAtTheHorizonIsHarvestAndTheRestIsInProgress() {
        // The same job, checkpointable. Core chooses its interval I at placement (t = 0, a desk with
        // no history, idle for 0 s); each checkpoint costs 60 s, so in 14,400 s it does
        // 14,400 I/(I+60) s of work, of which the whole intervals are saved: useful; the rest is
        // in progress.
        SimConfig c = cfg("dedicated").withCheckpointable(1);
        PolicyResult p = only(Simulation.run(FOUR_HOURS_AWAY, TEN_HOUR_JOB, c));

        double interval = CheckpointInterval.choose(
                        IdleForecast.of(
                                UsageProfile.empty(ProfileSettings.defaults(ZoneOffset.UTC)),
                                OwnerSources.DEFAULT_ORIGIN,
                                Duration.ZERO,
                                null),
                        Duration.ofSeconds(60))
                .toSeconds();
        double done = 14_400 * interval / (interval + 60);
        double saved = Math.floor(done / interval) * interval;
        assertThat(saved).as("the scenario needs at least one checkpoint").isPositive();
        assertThat(done - saved).as("and some work after the last one").isPositive();

        assertThat(p.usefulCpuSeconds()).isCloseTo(saved, within(1e-6));
        assertThat(p.inProgressCpuSeconds()).isCloseTo(done - saved, within(1e-6));
        assertThat(p.checkpointOverheadCpuSeconds()).isCloseTo(14_400 - done, within(1e-6));
        assertThat(p.harvestEfficiency()).isCloseTo(saved / (4 * 14_400), within(1e-12));
        assertThat(p.wastedCpuSeconds()).isZero();
    }

    @Test
    void checkpointsKeepWorkAcrossAnEviction() {
        // Same visit, but the job checkpoints: htcondor's eviction now loses at most one interval,
        // and the checkpoint overhead is counted.
        SimConfig c =
                SimConfig.defaults().withPolicies(List.of("htcondor-desktop")).withCheckpointable(1);
        PolicyResult p = only(Simulation.run(VISIT, ONE_JOB, c));

        assertThat(p.vacates()).isEqualTo(1);
        assertThat(p.wastedCpuSeconds()).isZero(); // it wrote a last checkpoint within the vacate grace
        assertThat(p.checkpointOverheadCpuSeconds()).isPositive();
    }

    @Test
    void everyPresetRunsOnAGeneratedPool() {
        OwnerTrace owners = OwnerSources.load(
                "fit:microsoft99",
                new OwnerSources.Options(8, 3, 3, "weibull", true, 4, 10, OwnerSources.DEFAULT_ORIGIN));
        List<TraceJob> js = new ArrayList<>();
        for (int i = 0; i < 200; i++)
            js.add(new TraceJob(i, i * 600L * S, 1800 + (i % 7) * 600, 1 + i % 4, -1, "u" + (i % 3), "x" + (i % 5)));
        SimResult r = Simulation.run(owners, new JobTrace(js, "test", 0, 0), SimConfig.defaults());

        assertThat(r.policies()).extracting(PolicyResult::name).containsExactlyElementsOf(SimConfig.defaultPolicies());
        for (PolicyResult p : r.policies()) {
            assertThat(p.harvestEfficiency()).as(p.name()).isBetween(0.0, 1.0);
            assertThat(p.jobsCompleted() + p.jobsUnfinished()).as(p.name()).isEqualTo(200);
        }
        PolicyResult dedicated = r.policies().stream()
                .filter(p -> p.name().equals("dedicated"))
                .findFirst()
                .orElseThrow();
        PolicyResult strict = r.policies().stream()
                .filter(p -> p.name().equals("strict"))
                .findFirst()
                .orElseThrow();
        assertThat(dedicated.usefulCpuSeconds()).isGreaterThanOrEqualTo(strict.usefulCpuSeconds() - 1e-3);
        assertThat(strict.ownerInterferenceCpuSeconds()).isZero();
        assertThat(Duration.ofMillis(r.horizonMs())).isEqualTo(Duration.ofDays(3));
    }
}
