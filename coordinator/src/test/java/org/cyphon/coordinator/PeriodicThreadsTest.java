package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threads a deployed coordinator does its periodic work with. Every other coordinator test
 * steps that work itself; these check that, left alone, the coordinator does it on its own.
 */
@OnEveryStore
class PeriodicThreadsTest {
    private final TestStore store;

    PeriodicThreadsTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    @Test
    void leftAloneACoordinatorLosesASilentAgentsAttemptsAndDeletesFinishedJobsCheckpoints() throws Exception {
        try (TestCoordinator c = TestCoordinator.startWithItsOwnThreads(store, dir)) {
            ApiClient alice = c.user("alice");
            TestAgent m1 = c.agent("m1", 4);
            long id = submit(alice, "/bin/sleep", "1000");
            WorkAssignment w = m1.work(10_000).get(0);
            assertThat(m1.putCheckpoint(w, new byte[100]).status()).isEqualTo(200);

            c.clock.advance(c.lease().plusSeconds(1)); // m1 falls silent; nobody steps anything
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> show(alice, id).state().equals("queued"));
            assertThat(show(alice, id).attempts().get(0).outcome()).isEqualTo("lost");

            Path checkpoints = c.dataDir.resolve("checkpoints").resolve(Long.toString(id));
            assertThat(checkpoints).as("kept for the next attempt").exists();
            alice.post("/api/v1/jobs/" + id + "/cancel", null);
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !Files.exists(checkpoints));
        }
    }

    @Test
    void aStepThatFailsDoesNotStopTheOnesAfterIt() {
        AtomicInteger calls = new AtomicInteger();
        PeriodicThread t = PeriodicThread.start("test-step", Duration.ofMillis(5), () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("the database is away");
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() >= 3);
        } finally {
            t.close();
        }
    }
}
