package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.junit.jupiter.api.Test;

/** The one back-off every agent loop uses; its waits are recorded instead of slept. */
class RetryTest {
    private final List<Duration> waits = new ArrayList<>();
    private final AtomicBoolean wanted = new AtomicBoolean(true);
    private final Retry retry = new Retry(
            "desk", Duration.ofMillis(500), Duration.ofSeconds(10), wanted::get, waits::add, new SplittableRandom(7));

    @Test
    void waitsGrowExponentiallyWithJitterUpToTheBound() {
        Retry.Backoff b = retry.backoff();
        List<Duration> drawn = new ArrayList<>();
        for (int i = 0; i < 10; i++) drawn.add(b.next());

        long[] ceilings = {500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000, 10_000};
        for (int i = 0; i < drawn.size(); i++) {
            assertThat(drawn.get(i).toMillis())
                    .as("wait %d: between half and all of %d ms", i, ceilings[i])
                    .isBetween(ceilings[i] / 2, ceilings[i]);
        }
        assertThat(drawn.stream().distinct())
                .as("jittered, not one fixed value")
                .hasSizeGreaterThan(5);
    }

    @Test
    void aSuccessStartsTheNextFailureFromTheFirstWaitAgain() throws Exception {
        Retry.Backoff b = retry.backoff();
        for (int i = 0; i < 6; i++) b.failed("heartbeat", new IOException("down"));
        assertThat(waits.getLast().toMillis()).isGreaterThanOrEqualTo(5000);
        b.succeeded();
        b.failed("heartbeat", new IOException("down again"));
        assertThat(waits.getLast().toMillis()).isBetween(250L, 500L);
    }

    @Test
    void aCallIsRepeatedUntilTheCoordinatorAnswers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String answer = retry.untilReached("enrollment", () -> {
            if (calls.incrementAndGet() < 4) throw new CoordinatorUnreachableException("connection refused", null);
            return "enrolled";
        });
        assertThat(answer).isEqualTo("enrolled");
        assertThat(calls).hasValue(4);
        assertThat(waits).hasSize(3);
        assertThat(waits.get(2)).isGreaterThan(waits.get(0).dividedBy(2));
    }

    @Test
    void aRefusalIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.untilReached("checkpoint upload", () -> {
                    calls.incrementAndGet();
                    throw new IOException("409 stale attempt");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("409 stale attempt");
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void nothingIsTriedOnceTheAgentStops() {
        AtomicInteger calls = new AtomicInteger();
        Retry.Pause stopAfterTheFirstWait = d -> wanted.set(false);
        Retry stopping = new Retry(
                "desk",
                Duration.ofMillis(500),
                Duration.ofSeconds(10),
                wanted::get,
                stopAfterTheFirstWait,
                new SplittableRandom(7));
        assertThatThrownBy(() -> stopping.untilReached("output upload", () -> {
                    calls.incrementAndGet();
                    throw new CoordinatorUnreachableException("down", null);
                }))
                .isInstanceOf(InterruptedException.class)
                .hasMessageContaining("output upload");
        assertThat(calls).hasValue(1);
    }

    @Test
    void aBackOffThatCannotGrowIsRefused() {
        assertThatThrownBy(() -> new Retry(
                        "desk",
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        wanted::get,
                        waits::add,
                        new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 < first <= max");
    }
}
