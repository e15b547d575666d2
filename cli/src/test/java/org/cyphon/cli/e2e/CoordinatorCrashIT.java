package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cyphon.coordinator.OnEveryStore;
import org.cyphon.coordinator.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 the coordinator mid-run and restart it on the same data dir: no accepted job lost, none
 * completed twice. Submits keep coming the whole time; only those answered 201 count as accepted.
 */
@OnEveryStore
class CoordinatorCrashIT {
    private final TestStore store;

    CoordinatorCrashIT(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path tmp;

    @Test
    void crashAndRestartLosesNoAcceptedJobAndCompletesNoneTwice() throws Exception {
        try (TestPool pool = new TestPool(tmp, store)) {
            pool.startCoordinator().startAgent("a1", 2).startAgent("a2", 2);

            List<Long> accepted = new CopyOnWriteArrayList<>();
            AtomicBoolean submitting = new AtomicBoolean(true);
            Thread submitter = Thread.ofVirtual().start(() -> {
                while (submitting.get()) {
                    try {
                        var r = pool.post(
                                "/jobs",
                                "{\"command\":[\"sh\",\"-c\",\"sleep 0.2; echo ok-$CYPHON_JOB_ID\"],\"cpus\":0.5}");
                        if (r.statusCode() == 201) {
                            TestPool.JSON.readTree(r.body()).path("ids").forEach(id -> accepted.add(id.asLong()));
                        }
                    } catch (Exception e) {
                        // coordinator down: this submit was not accepted, so it may be lost
                    }
                    try {
                        Thread.sleep(20); // not a wait for a state: the submitters' pace
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });

            // The crash comes with jobs accepted, running and completed.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> accepted.size() >= 20
                            && !pool.get("/jobs?state=running").path("jobs").isEmpty()
                            && !pool.get("/jobs?state=completed").path("jobs").isEmpty());
            int beforeCrash = accepted.size();
            pool.coordinator().crash();
            Thread.sleep(1000); // not a wait for a state: a second down, in which submits and heartbeats fail
            pool.startCoordinator();
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= beforeCrash + 20);
            submitting.set(false);
            submitter.join();

            assertThat(beforeCrash).as("jobs were accepted before the crash").isPositive();
            assertThat(accepted.size()).as("and after the restart").isGreaterThan(beforeCrash);

            var wait = pool.cli("wait", "--all", "--timeout", "3m");
            assertThat(wait.exitCode()).as(wait + pool.logs()).isZero();

            for (long id : accepted) {
                JsonNode job = pool.get("/jobs/" + id);
                assertThat(job.path("state").asText()).as("accepted job " + id).isEqualTo("completed");
                long exits = 0;
                for (JsonNode e : pool.get("/jobs/" + id + "/events").path("events")) {
                    if (e.path("type").asText().equals("exited")) exits++;
                }
                assertThat(exits).as("job " + id + " completed once").isEqualTo(1);
                assertThat(pool.getText("/jobs/" + id + "/logs?stream=stdout")).isEqualTo("ok-" + id + "\n");
            }
        }
    }
}
