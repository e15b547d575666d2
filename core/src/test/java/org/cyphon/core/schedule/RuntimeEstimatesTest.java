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

    @Test
    void manyKeysLearnedOneByOneOrInBatchesKeepEachKeysLastRuns() {
        // Enough keys that the recent ones are folded into the shared base several times over.
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        java.util.Map<String, java.util.List<Long>> expected = new java.util.TreeMap<>();
        RuntimeEstimates single = RuntimeEstimates.empty();
        RuntimeEstimates batched = RuntimeEstimates.empty();
        List<RuntimeEstimates.Completion> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String owner = "u" + rnd.nextInt(40);
            String name = "p" + rnd.nextInt(rnd.nextBoolean() ? 5 : 400);
            long ms = 1L + rnd.nextInt(100_000);
            single = single.learn(owner, name, Duration.ofMillis(ms));
            batch.add(new RuntimeEstimates.Completion(owner, name, Duration.ofMillis(ms)));
            if (rnd.nextInt(50) == 0) {
                batched = batched.learnAll(batch);
                batch.clear();
            }
            List<Long> runs = expected.computeIfAbsent(owner + "/" + name, k -> new java.util.ArrayList<>());
            runs.add(ms);
            if (runs.size() > RuntimeEstimates.KEPT) runs.removeFirst();
        }
        batched = batched.learnAll(batch);

        assertThat(single.snapshot()).isEqualTo(batched.snapshot()).hasSize(expected.size());
        for (RuntimeEstimates.History h : single.snapshot()) {
            assertThat(h.recentMillis())
                    .as(h.owner() + "/" + h.name())
                    .containsExactly(expected.get(h.owner() + "/" + h.name()).stream()
                            .mapToLong(Long::longValue)
                            .toArray());
        }
        RuntimeEstimates restored = RuntimeEstimates.restore(single.snapshot());
        for (String key : expected.keySet()) {
            String[] ow = key.split("/");
            assertThat(restored.estimate(ow[0], ow[1])).isEqualTo(single.estimate(ow[0], ow[1]));
            assertThat(batched.estimate(ow[0], ow[1])).isEqualTo(single.estimate(ow[0], ow[1]));
        }
    }
}
