package org.cyphon.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.cyphon.sim.engine.ScenarioTest.S;
import static org.cyphon.sim.engine.ScenarioTest.cfg;
import static org.cyphon.sim.engine.ScenarioTest.jobs;
import static org.cyphon.sim.engine.ScenarioTest.only;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.TraceJob;
import org.cyphon.sim.owners.DeskTrace;
import org.cyphon.sim.owners.OwnerSources;
import org.cyphon.sim.owners.OwnerTrace;
import org.junit.jupiter.api.Test;

/** Announced shutdowns, desks that sleep and wake, and their energy (issue 14), on hand-made traces. */
class PowerScenarioTest {
    private static final double H = 3600;

    /** {@code n} desks, each always away from 0 to {@code hours}. */
    static OwnerTrace awayDesks(int n, int hours) {
        List<DeskTrace> desks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            desks.add(new DeskTrace(
                    "desk" + i,
                    0,
                    ZoneOffset.UTC,
                    new long[] {0},
                    new long[] {hours * 3600L * S},
                    new OwnerState[] {OwnerState.AWAY},
                    new float[] {Float.NaN}));
        }
        return new OwnerTrace(OwnerSources.DEFAULT_ORIGIN, hours * 3600L * S, desks, "test", null);
    }

    private static SimConfig sleeping(String policy, Duration after, int maxAwake) {
        PowerSettings d = PowerSettings.defaults();
        return cfg(policy)
                .withPower(new PowerSettings(d.shutdownDelay(), after, maxAwake, Duration.ofSeconds(30), d.watts()));
    }

    // ---- announced shutdowns -----------------------------------------------------------------

    /** Away 0-2 h, off 2-3 h (a reboot that takes a while), away again to 10 h; one 1-CPU job of 5 h. */
    static final OwnerTrace REBOOT = ScenarioTest.oneDesk(
            0, 7200, OwnerState.AWAY, 7200, 10_800, OwnerState.OFF, 10_800, 36_000, OwnerState.AWAY);

    static final JobTrace FIVE_HOURS = jobs(new TraceJob(1, 0, 5 * H, 1, 5 * H, "u1", "long"));

    private static PolicyResult reboot(Duration delay) {
        SimConfig c = cfg("dedicated")
                .withCheckpointable(1)
                .withPower(PowerSettings.defaults().withShutdownDelay(delay));
        return only(Simulation.run(REBOOT, FIVE_HOURS, c));
    }

    @Test
    void anAnnouncedShutdownCostsACheckpointingJobNothingWhenItsCheckpointFitsTheDelay() {
        PolicyResult cut = reboot(Duration.ZERO);
        PolicyResult announced = reboot(Duration.ofMinutes(2));

        // Not announced: the work since the last periodic checkpoint is lost (2 h of work, core's
        // interval for an unknown desk does not divide it evenly).
        assertThat(cut.power().cpuSecondsLostToPowerOff()).isPositive();
        assertThat(cut.power().checkpointableCpuSecondsLostToPowerOff())
                .isEqualTo(cut.power().cpuSecondsLostToPowerOff());
        assertThat(cut.wastedCpuSeconds()).isCloseTo(cut.power().cpuSecondsLostToPowerOff(), within(1e-6));
        assertThat(cut.attemptsLostToPowerOff()).isEqualTo(1);
        assertThat(cut.power().attemptsCheckpointedAtShutdown()).isZero();

        // Announced with 2 minutes, the 60-s checkpoint is written before the desk goes down.
        assertThat(announced.power().cpuSecondsLostToPowerOff()).isZero();
        assertThat(announced.wastedCpuSeconds()).isZero();
        assertThat(announced.attemptsLostToPowerOff()).isZero();
        assertThat(announced.power().attemptsCheckpointedAtShutdown()).isEqualTo(1);
        assertThat(announced.jobsCompleted()).isEqualTo(1);
        assertThat(cut.jobsCompleted()).isEqualTo(1);
        assertThat(announced.makespanSeconds()).isLessThan(cut.makespanSeconds());
    }

    @Test
    void aDelayShorterThanTheCheckpointSavesNothingMoreThanNoAnnouncement() {
        // The agent's default 30 s against a 60-s checkpoint: logind goes ahead before it is written.
        PolicyResult cut = reboot(Duration.ZERO);
        PolicyResult short30 = reboot(Duration.ofSeconds(30));
        assertThat(short30.power().cpuSecondsLostToPowerOff())
                .isCloseTo(cut.power().cpuSecondsLostToPowerOff(), within(1e-6));
        assertThat(short30.power().attemptsCheckpointedAtShutdown()).isZero();
    }

    @Test
    void aJobThatCannotCheckpointLosesItsAttemptAnnouncedOrNot() {
        SimConfig c = cfg("dedicated").withPower(PowerSettings.defaults().withShutdownDelay(Duration.ofMinutes(5)));
        PolicyResult p = only(Simulation.run(REBOOT, FIVE_HOURS, c));
        assertThat(p.power().cpuSecondsLostToPowerOff()).isCloseTo(2 * H, within(1e-6));
        assertThat(p.power().checkpointableCpuSecondsLostToPowerOff()).isZero();
        assertThat(p.attemptsLostToPowerOff()).isEqualTo(1);
    }

    // ---- sleeping desks ----------------------------------------------------------------------

    @Test
    void anIdleDeskSleepsIsWokenForTheNextJobAndSleepsAgain() {
        // One 4-core desk, away for 24 h; a 1-h job at 0 and another at 10 h. It runs the first,
        // sleeps 30 min after it (1:30), is woken by the second's placement pass at 10:00, resumes
        // 30 s later (10:00:30), takes the job at the next pass (10:01), finishes at 11:01 and
        // sleeps at 11:31 to the end.
        OwnerTrace owners = awayDesks(1, 24);
        JobTrace two =
                jobs(new TraceJob(1, 0, H, 1, H, "u", "a"), new TraceJob(2, ((long) (10 * H)) * S, H, 1, H, "u", "a"));
        PolicyResult p = only(Simulation.run(owners, two, sleeping("dedicated", Duration.ofMinutes(30), 20)));
        PolicyResult awake = only(Simulation.run(owners, two, cfg("dedicated")));

        assertThat(p.jobsCompleted()).isEqualTo(2);
        assertThat(p.power().sleeps()).isEqualTo(2);
        assertThat(p.power().wakeUps()).isEqualTo(1);
        assertThat(p.power().asleepDeskSeconds())
                .isCloseTo((10 * H + 30 - 1.5 * H) + (24 * H - (11 * H + 31 * 60)), within(1e-6));
        assertThat(p.power().awakeDeskSeconds() + p.power().asleepDeskSeconds()).isCloseTo(24 * H, within(1e-6));
        assertThat(p.power().energyKWh())
                .isCloseTo(
                        (p.power().awakeDeskSeconds() * 50 + p.power().asleepDeskSeconds() * 4) / 3600 / 1000,
                        within(1e-9));
        // The wake-up costs the second job its resume and a placement cycle: 60 s of wait, 30 s on average.
        assertThat(p.meanWaitSeconds()).isCloseTo(30, within(1e-6));
        assertThat(awake.power().sleeps()).isZero();
        assertThat(awake.power().awakeDeskSeconds()).isCloseTo(24 * H, within(1e-6));
        assertThat(awake.power().energyKWh()).isCloseTo(24 * 50 / 1000.0, within(1e-9));
        // The idle capacity is the same: a sleeping desk could be woken for work.
        assertThat(p.idleCpuSecondsAvailable()).isEqualTo(awake.idleCpuSecondsAvailable());
    }

    @Test
    void theOwnerWakesTheDeskByArrivingAndItSleepsAgainAfterTheyLeave() {
        // Away 0-5 h, the owner at the desk 5-6 h, away until 10 h; a 10-minute job at 0.
        OwnerTrace owners = ScenarioTest.oneDesk(
                0,
                5 * 3600,
                OwnerState.AWAY,
                5 * 3600,
                6 * 3600,
                OwnerState.PRESENT,
                6 * 3600,
                10 * 3600,
                OwnerState.AWAY);
        JobTrace j = jobs(new TraceJob(1, 0, 600, 1, 600, "u", "a"));
        PolicyResult p = only(Simulation.run(owners, j, sleeping("desktop", Duration.ofMinutes(30), 20)));

        // Asleep from 0:40 (30 min after the job) to 5:00, then from 6:30 (30 min after the last key) to 10:00.
        assertThat(p.power().sleeps()).isEqualTo(2);
        assertThat(p.power().wakeUps()).isZero();
        assertThat(p.power().asleepDeskSeconds()).isCloseTo((5 * H - 40 * 60) + (10 * H - 6.5 * H), within(1e-6));
    }

    @Test
    void theWakeUpBudgetIsASlidingHourAndTheBestServeFirst() {
        // Three 4-core desks asleep from 0:30; at 2 h three 4-CPU jobs of 1 h arrive. With one wake-up
        // an hour: one desk is woken at 2:00; the second job takes it again when the first ends
        // (~3:01), and the budget buys one more desk at 3:00 for the third. With three an hour: all
        // three at once.
        OwnerTrace owners = awayDesks(3, 8);
        List<TraceJob> js = new ArrayList<>();
        js.add(new TraceJob(0, 0, 60, 1, 60, "u", "warm-up"));
        for (int i = 1; i <= 3; i++) js.add(new TraceJob(i, ((long) (2 * H)) * S, H, 4, H, "u", "block"));
        JobTrace three = new JobTrace(js, "test", 0, 0);

        PolicyResult one = only(Simulation.run(owners, three, sleeping("dedicated", Duration.ofMinutes(30), 1)));
        PolicyResult all = only(Simulation.run(owners, three, sleeping("dedicated", Duration.ofMinutes(30), 3)));

        assertThat(one.jobsCompleted()).isEqualTo(4);
        assertThat(all.jobsCompleted()).isEqualTo(4);
        assertThat(one.power().wakeUps()).isEqualTo(2);
        assertThat(all.power().wakeUps()).isEqualTo(3);
        assertThat(one.meanWaitSeconds()).isGreaterThan(all.meanWaitSeconds() + 600);
        assertThat(one.power().asleepDeskSeconds()).isGreaterThan(all.power().asleepDeskSeconds());
    }
}
