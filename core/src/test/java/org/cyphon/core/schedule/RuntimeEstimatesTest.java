package org.cyphon.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeEstimatesTest {
    @Test
    void theMedianOfRecentRunsIgnoresOneCrash() {
        RuntimeEstimates r = RuntimeEstimates.empty();
        assertThat(r.estimate("alice", "render")).isNull();
        for (int m : new int[] {60, 62, 58, 1, 61}) r = r.learn("alice", "render", Duration.ofMinutes(m));
        assertThat(r.estimate("alice", "render")).isEqualTo(Duration.ofMinutes(60));
        assertThat(r.estimate("bob", "render")).isNull();
        assertThat(r.estimate("alice", null)).isNull();
        assertThat(r.learn("alice", null, Duration.ofHours(1))).isSameAs(r);
    }

    @Test
    void followsADriftAfterAFewRuns() {
        RuntimeEstimates r = RuntimeEstimates.empty();
        for (int i = 0; i < 20; i++) r = r.learn("alice", "sim", Duration.ofMinutes(10));
        for (int i = 0; i < RuntimeEstimates.KEPT / 2 + 1; i++) r = r.learn("alice", "sim", Duration.ofMinutes(40));
        assertThat(r.estimate("alice", "sim")).isEqualTo(Duration.ofMinutes(40));
    }

    @Test
    void snapshotAndBatchLearningAgree() {
        RuntimeEstimates one =
                RuntimeEstimates.empty().learn("a", "x", Duration.ofSeconds(5)).learn("b", "y", Duration.ofSeconds(7));
        RuntimeEstimates batch = RuntimeEstimates.empty()
                .learnAll(List.of(
                        new RuntimeEstimates.Completion("a", "x", Duration.ofSeconds(5)),
                        new RuntimeEstimates.Completion("b", "y", Duration.ofSeconds(7))));
        assertThat(batch.snapshot()).isEqualTo(one.snapshot());
        assertThat(RuntimeEstimates.restore(one.snapshot()).estimate("b", "y")).isEqualTo(Duration.ofSeconds(7));
    }
}
