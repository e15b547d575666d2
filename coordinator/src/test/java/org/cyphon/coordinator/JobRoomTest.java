package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.show;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WallView;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What desks say of their room for jobs, and placement keeping to it, over real HTTP and H2: a
 * desk's {@code max_jobs} caps its live attempts whatever CPU it has free (the rest of the jobs go
 * elsewhere), a {@code --disk} job goes only where that much disk is free (each live request
 * reserved), and the walls a desk reports are what {@code GET /machines/NAME} shows.
 */
class JobRoomTest {
    @TempDir
    Path dir;

    private static final long G = 1L << 30;
    /** The walls of a desk whose agent can give a job a network of its own. */
    private static final List<WallView> WALLED =
            List.of(WallView.built(WallView.NETWORK_NONE, "own network namespace"));

    /** A beat listing what the agent holds, with its max_jobs, free disk and walls. */
    private static HeartbeatReply beat(TestAgent a, Integer maxJobs, Long diskFree, List<WallView> walls) {
        List<AttemptStatus> held = a.holding.stream()
                .map(w -> new AttemptStatus(
                        w.jobId(), w.attempt(), w.fencingToken(), org.cyphon.core.job.AttemptRunState.RUNNING))
                .toList();
        return a.api.post(
                a.path("/heartbeat"),
                new Heartbeat(
                        a.cpus,
                        a.memory,
                        "cgroup-v1",
                        null,
                        held,
                        null,
                        null,
                        null,
                        null,
                        null,
                        maxJobs,
                        diskFree,
                        walls,
                        null),
                HeartbeatReply.class);
    }

    private static List<Long> submit(ApiClient as, int count, String disk, String network) {
        JobSubmission s = JobSubmission.builder()
                .name("tiny")
                .command(List.of("/bin/true"))
                .cpus(0.1)
                .memory("1M")
                .count(count)
                .disk(disk)
                .network(network)
                .build();
        return as.post("/api/v1/jobs", s, SubmitReply.class).ids();
    }

    @Test
    void aDeskNeverHasMoreLiveAttemptsThanItsMaxJobsAndTheOtherJobsGoElsewhere() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(dir)) {
            TestAgent slotted = TestAgent.enroll(c, "slotted", 8, 64 * G);
            TestAgent roomy = TestAgent.enroll(c, "roomy", 2, 64 * G);
            beat(slotted, 2, null, null);
            beat(roomy, 400, null, null);
            int jobs = 60;
            submit(c.user("alice"), jobs, null, null);

            int done = 0;
            int mostOnSlotted = 0;
            int ranOnSlotted = 0;
            while (done < jobs) {
                c.periodicWork().schedule();
                slotted.work(0);
                roomy.work(0);
                mostOnSlotted = Math.max(mostOnSlotted, slotted.holding.size());
                assertThat(slotted.holding.size())
                        .as("live attempts on the desk with max_jobs 2")
                        .isLessThanOrEqualTo(2);
                // One job ends on each desk, then both beat: the slotted desk's freed slot is taken again.
                for (TestAgent a : List.of(slotted, roomy)) {
                    if (a.holding.isEmpty()) continue;
                    WorkAssignment w = a.holding.get(0);
                    a.report(TestAgent.exited(w, 0));
                    if (a == slotted) ranOnSlotted++;
                    done++;
                }
                beat(slotted, 2, null, null);
                beat(roomy, 400, null, null);
            }
            assertThat(mostOnSlotted).as("the desk was used to its max_jobs").isEqualTo(2);
            assertThat(ranOnSlotted)
                    .as("but the bulk of the 8-CPU desk's jobs went elsewhere")
                    .isLessThan(jobs / 2);
            MachineView m = c.admin().get("/api/v1/machines/slotted", MachineView.class);
            assertThat(m.maxJobs()).isEqualTo(2);
        }
    }

    @Test
    void aDeskKeepsToTheMaxJobsItEnrolledWithBeforeItsFirstHeartbeat() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(dir)) {
            TestAgent fresh = TestAgent.enrollWith(
                    c,
                    c.coordinator().enrollToken(),
                    new org.cyphon.core.protocol.EnrollRequest(
                            "fresh", 8, 64 * G, "cgroup-v1", null, "test", null, null, null, null, 1));
            submit(c.user("alice"), 5, null, null);
            c.periodicWork().schedule();
            assertThat(fresh.work(0)).hasSize(1);
        }
    }

    @Test
    void aDiskJobGoesOnlyWhereThatMuchIsFreeReservedWhileItLivesAndWaitsSayingWhy() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(dir)) {
            ApiClient alice = c.user("alice");
            TestAgent small = TestAgent.enroll(c, "small", 8, 64 * G);
            TestAgent big = TestAgent.enroll(c, "big", 2, 64 * G);
            beat(small, 16, 5 * G, WALLED);
            beat(big, 16, 100 * G, WALLED);

            long first = submit(alice, 1, "40G", "none").get(0);
            c.periodicWork().schedule();
            assertThat(small.work(0)).isEmpty();
            List<WorkAssignment> got = big.work(0);
            assertThat(got).singleElement().satisfies(w -> {
                assertThat(w.diskBytes()).isEqualTo(40 * G);
                assertThat(w.network()).isEqualTo("none");
            });
            assertThat(show(alice, first).needs().diskBytes()).isEqualTo(40 * G);
            assertThat(show(alice, first).needs().network()).isEqualTo("none");

            // 100G free, 40G reserved: a second 40G job fits, a third does not until one ends.
            List<Long> more = submit(alice, 2, "40G", null);
            c.periodicWork().schedule();
            assertThat(big.work(0)).extracting(WorkAssignment::jobId).containsExactly(more.get(0));
            assertThat(show(alice, more.get(1)).state()).isEqualTo("queued");
            big.report(TestAgent.exited(big.holding.get(0), 0));
            beat(big, 16, 100 * G, WALLED);
            c.periodicWork().schedule();
            assertThat(big.work(0)).extracting(WorkAssignment::jobId).containsExactly(more.get(1));

            // No desk has 500G: the job waits, and says why; a job with no --disk is not held back.
            long huge = submit(alice, 1, "500G", null).get(0);
            long plain = submit(alice, 1, null, null).get(0);
            c.periodicWork().schedule();
            List<WorkAssignment> next = new ArrayList<>(small.work(0));
            next.addAll(big.work(0));
            assertThat(next).extracting(WorkAssignment::jobId).containsExactly(plain);
            assertThat(next.get(0).diskBytes())
                    .as("no --disk: the agent's default")
                    .isNull();
            assertThat(next.get(0).network()).isEqualTo("host");
            assertThat(show(alice, huge).progress().reason())
                    .isEqualTo("no online desk has 500G of disk free for its --disk (the most is 100G)");
        }
    }

    @Test
    void aNetworkNoneJobGoesOnlyToADeskThatCanGiveItANetworkOfItsOwn() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(dir)) {
            ApiClient alice = c.user("alice");
            TestAgent open = TestAgent.enroll(c, "open", 8, 64 * G);
            beat(open, 16, null, List.of(WallView.missing(WallView.NETWORK_NONE, "not root")));
            TestAgent old = TestAgent.enroll(c, "old", 8, 64 * G);
            old.beat(); // an agent before walls would run it on the desk's network

            long none = submit(alice, 1, null, "none").get(0);
            c.periodicWork().schedule();
            assertThat(open.work(0)).isEmpty();
            assertThat(old.work(0)).isEmpty();
            assertThat(show(alice, none).progress().reason())
                    .startsWith("no online desk can give a job a network of its own");

            TestAgent walled = TestAgent.enroll(c, "walled", 1, 8 * G);
            beat(walled, 4, null, WALLED);
            c.periodicWork().schedule();
            assertThat(walled.work(0)).extracting(WorkAssignment::jobId).containsExactly(none);
        }
    }

    @Test
    void theWallsADeskReportsAreWhatItsViewShows() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(dir)) {
            TestAgent desk = TestAgent.enroll(c, "desk-1", 2, 8 * G);
            List<WallView> walls = List.of(
                    WallView.built("namespaces", "own mount, PID and IPC namespaces"),
                    WallView.missing("pids.max", "no pids hierarchy mounted: a job may fork without limit"));
            beat(desk, 8, 7 * G, walls);

            MachineView m = c.admin().get("/api/v1/machines/desk-1", MachineView.class);
            assertThat(m.walls()).isEqualTo(walls);
            assertThat(m.maxJobs()).isEqualTo(8);
            assertThat(m.diskFreeBytes()).isEqualTo(7 * G);

            // An older agent's beat says none of it: what was said stays.
            desk.beat();
            assertThat(c.admin()
                            .get("/api/v1/machines/desk-1", MachineView.class)
                            .walls())
                    .isEqualTo(walls);

            ApiClient.Reply bad = desk.api.post(
                    desk.path("/heartbeat"), "{\"cpus\": 2, \"memoryBytes\": 1000, \"attempts\": [], \"maxJobs\": 0}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.field()).isEqualTo("maxJobs");
        }
    }
}
