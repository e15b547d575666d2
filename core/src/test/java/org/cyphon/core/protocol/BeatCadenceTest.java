package org.cyphon.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cyphon.core.job.AttemptRunState;
import org.junit.jupiter.api.Test;

class BeatCadenceTest {
    private static final List<AttemptStatus> TWO_RUNNING = List.of(
            new AttemptStatus(1, 1, 11, AttemptRunState.RUNNING, 3.0),
            new AttemptStatus(2, 1, 12, AttemptRunState.RUNNING, 4.0));

    @Test
    void sameAttemptsInTheSameStatesBeatAtAThirdOfTheLeaseAndAnyChangeAtTheCoordinatorsInterval() {
        BeatCadence c = new BeatCadence(2000);

        assertThat(c.afterBeat(TWO_RUNNING, 15_000, false))
                .as("first beat with jobs")
                .isEqualTo(2000);
        // Only the CPU figures moved: nothing to tell.
        List<AttemptStatus> later = List.of(
                new AttemptStatus(1, 1, 11, AttemptRunState.RUNNING, 9.0),
                new AttemptStatus(2, 1, 12, AttemptRunState.RUNNING, 8.0));
        assertThat(c.afterBeat(later, 15_000, false)).isEqualTo(5000);
        assertThat(c.afterBeat(later, 15_000, false)).isEqualTo(5000);

        List<AttemptStatus> oneFrozen = List.of(
                new AttemptStatus(1, 1, 11, AttemptRunState.SUSPENDED, 9.0),
                new AttemptStatus(2, 1, 12, AttemptRunState.RUNNING, 8.0));
        assertThat(c.afterBeat(oneFrozen, 15_000, false)).as("a job froze").isEqualTo(2000);
        assertThat(c.afterBeat(oneFrozen, 15_000, false)).isEqualTo(5000);
        assertThat(c.afterBeat(oneFrozen, 15_000, true))
                .as("the reply asked for a stop")
                .isEqualTo(2000);
        assertThat(c.afterBeat(oneFrozen.subList(1, 2), 15_000, false))
                .as("a job ended")
                .isEqualTo(2000);
    }

    @Test
    void nothingHeldBeatsAtAThirdOfTheLeaseNeverFasterThanTheCoordinatorAsks() {
        BeatCadence c = new BeatCadence(2000);
        assertThat(c.afterBeat(List.of(), -1, false)).as("no lease seen yet").isEqualTo(2000);
        assertThat(c.afterBeat(List.of(), 15_000, false)).isEqualTo(5000);
        assertThat(c.afterBeat(List.of(), 3_000, false)).isEqualTo(2000);
        c.enrolled(4000);
        assertThat(c.afterBeat(List.of(), 6_000, false)).isEqualTo(4000);
    }

    @Test
    void aFailedBeatIsRepeatedInFullAtTheCoordinatorsInterval() {
        BeatCadence c = new BeatCadence(2000);
        c.afterBeat(TWO_RUNNING, 15_000, false);
        assertThat(c.afterBeat(TWO_RUNNING, 15_000, false)).isEqualTo(5000);
        c.failed();
        assertThat(c.afterBeat(TWO_RUNNING, 15_000, false)).isEqualTo(2000);
    }
}
