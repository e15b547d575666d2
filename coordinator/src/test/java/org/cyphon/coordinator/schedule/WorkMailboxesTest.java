package org.cyphon.coordinator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;

/** Long polls for work: answered by a delivery, else empty after their wait; nothing left behind. */
class WorkMailboxesTest {
    private static WorkAssignment job(long id) {
        return new WorkAssignment(
                id,
                1,
                id,
                "j" + id,
                "alice",
                List.of("true"),
                Map.of(),
                0,
                1,
                64L << 20,
                null,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void aPollAnsweredByADeliveryLeavesNoTimeoutBehindHoldingItsWork() throws Exception {
        try (WorkMailboxes boxes = new WorkMailboxes()) {
            for (int i = 0; i < 1000; i++) {
                CompletableFuture<List<WorkAssignment>> poll = boxes.take("desk", Duration.ofMinutes(1));
                assertThat(poll).isNotDone();
                boxes.deliver("desk", List.of(job(i)));
                assertThat(poll.get(5, TimeUnit.SECONDS))
                        .extracting(WorkAssignment::jobId)
                        .containsExactly((long) i);
            }
            // Each ended poll's timeout is gone with it, not queued for the rest of its minute with the
            // poll's answer (108,000 of them ran a coordinator's heap out: PollTimeouts).
            assertThat(boxes.timeoutsWaiting()).isZero();
        }
    }

    @Test
    void aPollWithNothingDeliveredEndsEmptyAfterItsWait() throws Exception {
        try (WorkMailboxes boxes = new WorkMailboxes()) {
            CompletableFuture<List<WorkAssignment>> poll = boxes.take("desk", Duration.ofMillis(200));
            assertThat(boxes.timeoutsWaiting()).isEqualTo(1);
            assertThat(poll.get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(boxes.timeoutsWaiting()).isZero();
        }
    }
}
