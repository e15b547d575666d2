package org.cyphon.core.power;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.ScriptedOwner;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.core.schedule.PendingJob;
import org.junit.jupiter.api.Test;

class WakeChoiceTest {
    private static final long GB = 1L << 30;
    /** A Tuesday evening, 19:00 in the owners' zone: office owners are gone for the night. */
    private static final Instant EVENING =
            ScriptedOwner.at(ScriptedOwner.FIRST_DAY.plusWeeks(4).plusDays(1), 19);

    private static final UsageProfile OFFICE = ScriptedOwner.office(4);
    /** Comes back every 20 minutes, around the clock. */
    private static final UsageProfile RESTLESS =
            ScriptedOwner.breaks(Duration.ofMinutes(20), Duration.ofMinutes(10), 28);

    private static IdleForecast forecast(UsageProfile p) {
        return IdleForecast.of(p, EVENING, Duration.ofMinutes(30), null);
    }

    private static WakeChoice.SleepingDesk desk(String name, int cpus, UsageProfile p) {
        return new WakeChoice.SleepingDesk(name, cpus * 1000, 8 * GB, Map.of(), forecast(p), false);
    }

    private static PendingJob job(long id, int cpus, Duration runtime) {
        return new PendingJob(id, "ann", 0, cpus * 1000, GB, "sim", Map.of(), runtime, Duration.ZERO);
    }

    @Test
    void wakesTheDeskWhoseOwnerStaysAwayLongestForTheJob() {
        List<WakeChoice.Wake> w = WakeChoice.choose(
                List.of(job(1, 2, Duration.ofHours(3))),
                List.of(desk("restless", 4, RESTLESS), desk("office", 4, OFFICE)),
                5);
        assertThat(w).extracting(WakeChoice.Wake::machine).containsExactly("office");
        assertThat(w.getFirst().forJobs()).containsExactly(1L);
    }

    @Test
    void oneWakeUpServesEveryJobTheDeskHoldsBeforeTheBudgetBuysAnother() {
        List<WakeChoice.Wake> w = WakeChoice.choose(
                List.of(job(1, 2, null), job(2, 2, null), job(3, 2, null)),
                List.of(desk("a", 4, OFFICE), desk("b", 4, OFFICE), desk("c", 4, OFFICE)),
                5);
        assertThat(w).extracting(WakeChoice.Wake::machine).containsExactly("a", "b");
        assertThat(w.get(0).forJobs()).containsExactly(1L, 2L);
        assertThat(w.get(1).forJobs()).containsExactly(3L);
    }

    @Test
    void theBudgetCapsNewWakeUpsAndADeskAlreadyWakingCostsNothing() {
        WakeChoice.SleepingDesk waking = new WakeChoice.SleepingDesk("waking", 2000, 8 * GB, Map.of(), null, true);
        List<WakeChoice.Wake> w = WakeChoice.choose(
                List.of(job(1, 2, null), job(2, 4, null), job(3, 4, null)),
                List.of(waking, desk("a", 4, OFFICE), desk("b", 4, OFFICE)),
                1);
        // Job 1 fits the desk already waking; job 2 buys the one wake-up left; job 3 waits.
        assertThat(w).extracting(WakeChoice.Wake::machine).containsExactly("a");
        assertThat(w.getFirst().forJobs()).containsExactly(2L);
        assertThat(WakeChoice.choose(List.of(job(4, 2, null)), List.of(desk("a", 4, OFFICE)), 0))
                .isEmpty();
    }

    @Test
    void labelsAndSizeDecideWhichDesksCanServeAJob() {
        WakeChoice.SleepingDesk gpu = new WakeChoice.SleepingDesk(
                "gpu-desk", 4000, 8 * GB, Map.of("gpu", "nvidia"), forecast(RESTLESS), false);
        PendingJob needsGpu = new PendingJob(1, "ann", 0, 1000, GB, "train", Map.of("gpu", "nvidia"), null, null);
        PendingJob tooBig = job(2, 64, null);
        List<WakeChoice.Wake> w =
                WakeChoice.choose(List.of(tooBig, needsGpu), List.of(desk("office", 4, OFFICE), gpu), 5);
        assertThat(w).extracting(WakeChoice.Wake::machine).containsExactly("gpu-desk");
    }

    @Test
    void theBudgetIsASlidingHour() {
        Instant now = Instant.parse("2026-11-02T12:00:00Z");
        List<Instant> sent = List.of(now.minus(Duration.ofMinutes(70)), now.minus(Duration.ofMinutes(50)), now);
        assertThat(WakeChoice.budgetLeft(sent, now, 3)).isEqualTo(1);
        assertThat(WakeChoice.budgetGrowsAt(sent, now)).isEqualTo(now.plus(Duration.ofMinutes(10)));
        assertThat(WakeChoice.budgetLeft(List.of(), now, 3)).isEqualTo(3);
    }
}
