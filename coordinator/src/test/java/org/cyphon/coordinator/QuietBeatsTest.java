package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beats that say nothing new are answered from what the store holds, without waiting for its
 * writer; every beat that must write still does before its reply: a lease renewal that is due, a
 * resource that changed, CPU time since a checkpoint. Told apart by what the replies say (a
 * quiet beat names the lease's expiry as stored) and by /metrics' {@code path} of each beat.
 */
@OnEveryStore
class QuietBeatsTest {
    private final TestStore store;

    QuietBeatsTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    TestCoordinator c;
    ApiClient alice;

    @BeforeEach
    void start() throws Exception {
        c = TestCoordinator.start(store, dir);
        alice = c.user("alice");
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void aBeatSoonAfterTheLastIsAnsweredFromTheStoreAndOneAQuarterOfALeaseLaterRenews() {
        TestAgent m1 = c.agent("m1", 4);
        TestCoordinator.submit(alice, "/bin/sleep", "600");
        WorkAssignment w = m1.work(10_000).get(0);
        Instant assigned = c.clock.instant();
        Duration lease = c.lease();

        long readsBefore = beats("read");
        long writesBefore = beats("write");
        c.clock.advance(Duration.ofSeconds(1));
        HeartbeatReply quiet = m1.beat(List.of(running(w, null)));
        assertThat(quiet.stop()).isEmpty();
        assertThat(quiet.leaseExpiresAt())
                .as("a quiet beat names the lease as stored: nothing renewed it")
                .isEqualTo(assigned.plus(lease));
        assertThat(beats("read")).isEqualTo(readsBefore + 1);
        assertThat(beats("write")).isEqualTo(writesBefore);

        c.clock.advance(lease.dividedBy(4));
        HeartbeatReply renewing = m1.beat(List.of(running(w, null)));
        assertThat(renewing.leaseExpiresAt())
                .as("a quarter of the lease gone: the beat renews it before answering")
                .isEqualTo(c.clock.instant().plus(lease));
        assertThat(beats("write")).isEqualTo(writesBefore + 1);

        // The renewal was written: the lease keeper, a lease after the assignment, leaves the job running.
        c.tick(lease.minus(lease.dividedBy(4)).plusSeconds(1));
        assertThat(TestCoordinator.show(alice, w.jobId()).state()).isEqualTo("running");
    }

    @Test
    void aBeatThatChangesWhatTheDeskOffersOrItsLostCpuIsWrittenBeforeTheReply() {
        TestAgent m1 = c.agent("m1", 4);
        TestCoordinator.submit(alice, "/bin/sleep", "600");
        WorkAssignment w = m1.work(10_000).get(0);
        long writesBefore = beats("write");

        m1.beat(List.of(running(w, 12.5)));
        assertThat(beats("write")).as("CPU time since the checkpoint").isEqualTo(writesBefore + 1);
        m1.beat(List.of(running(w, 12.5)));
        assertThat(beats("write")).as("the same figure again").isEqualTo(writesBefore + 1);

        TestAgent bigger = m1.offering(8);
        bigger.beat(List.of(running(w, 12.5)));
        assertThat(beats("write")).as("more cpus").isEqualTo(writesBefore + 2);
        assertThat(alice.get("/api/v1/machines/m1", MachineView.class).cpus()).isEqualTo(8.0);
    }

    private static AttemptStatus running(WorkAssignment w, Double cpuSinceCheckpoint) {
        return new AttemptStatus(w.jobId(), w.attempt(), w.fencingToken(), AttemptRunState.RUNNING, cpuSinceCheckpoint);
    }

    /** Heartbeats answered so far along {@code path} ("read" or "write"), from /metrics. */
    private long beats(String path) {
        String prefix = "cyphon_heartbeat_seconds_count{path=\"" + path + "\"} ";
        return c.anonymous()
                .get("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length())))
                .findFirst()
                .orElse(0);
    }
}
