package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.cyphon.core.protocol.JobView;
import org.junit.jupiter.api.Test;

/** {@code cyphon job ID}: what it says about a job's checkpoints and the work it lost. */
class JobCommandTest {
    private static JobView job(Long every, Long checkpointBytes, Instant checkpointAt, Double lost) {
        return new JobView(
                7,
                "queued",
                new JobView.Submission("sim", 0, "alice", List.of("sim"), null, 0, Instant.EPOCH),
                new JobView.Needs(1, 256L << 20, null, null, null),
                new JobView.Progress(null, "desk-1", 3, 5, null, null, null),
                new JobView.Result(null, null, lost),
                new JobView.Checkpoints(every, 85, checkpointBytes, checkpointAt),
                List.of());
    }

    @Test
    void showsTheCheckpointSettingsTheStoredCheckpointAndTheLostCpuTime() {
        String out =
                JobCommand.details(job(1800L, 12L << 20, Instant.parse("2026-11-24T10:00:00Z"), 3725.4), List.of());
        assertThat(out)
                .contains("checkpoints  asked every 30m00s; exit code 85 requeues")
                .containsPattern("checkpoint +12M stored ")
                .contains("lost cpu     1h02m");
    }

    @Test
    void aJobWithoutPeriodicCheckpointsOrAStoredOne() {
        String out = JobCommand.details(job(null, null, null, 0.0), List.of());
        assertThat(out)
                .contains("asked before a vacate; exit code 85 requeues")
                .contains("lost cpu     0s")
                .doesNotContainPattern("checkpoint +[0-9]");
    }
}
