package org.cyphon.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cyphon.core.job.JobDependencies.Edge;
import org.cyphon.core.job.JobDependencies.Ending;
import org.cyphon.core.job.JobDependencies.Outcome;
import org.junit.jupiter.api.Test;

class JobDependenciesTest {
    private static final Ending RUNNING = new Ending(JobState.RUNNING, null);
    private static final Ending OK = new Ending(JobState.COMPLETED, 0);

    @Test
    void waitsForUnendedJobsAndNamesThem() {
        var v = JobDependencies.judge(
                List.of(new Edge(1, false), new Edge(2, true), new Edge(3, false)),
                Map.of(1L, OK, 2L, RUNNING, 3L, new Ending(JobState.QUEUED, null)));
        assertThat(v.outcome()).isEqualTo(Outcome.WAIT);
        assertThat(v.waitingOn()).containsExactly(2L, 3L);
    }

    @Test
    void afterNeedsExitZeroAfterAnyTakesAnyEnd() {
        Map<Long, Ending> ends = Map.of(
                1L, new Ending(JobState.COMPLETED, 2),
                2L, new Ending(JobState.FAILED, null),
                3L, new Ending(JobState.CANCELLED, null),
                4L, new Ending(JobState.COMPLETED, null));
        for (long id = 1; id <= 4; id++) {
            assertThat(JobDependencies.judge(List.of(new Edge(id, true)), ends).outcome())
                    .isEqualTo(Outcome.READY);
            assertThat(JobDependencies.judge(List.of(new Edge(id, false)), ends).outcome())
                    .isEqualTo(Outcome.BROKEN);
        }
        assertThat(JobDependencies.judge(List.of(new Edge(1, false)), ends).reason())
                .startsWith("job 1 exited with code 2");
        assertThat(JobDependencies.judge(List.of(new Edge(4, false)), ends).reason())
                .startsWith("job 4 was killed by a signal");
        assertThat(JobDependencies.judge(List.of(new Edge(9, true)), ends).reason())
                .isEqualTo("job 9 does not exist");
        assertThat(JobDependencies.judge(List.of(new Edge(1, true), new Edge(5, false)), Map.of(1L, OK, 5L, OK))
                        .outcome())
                .isEqualTo(Outcome.READY);
    }
}
