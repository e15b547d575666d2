package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.cyphon.coordinator.TestCoordinator.show;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.LabelRequest;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.ShareList;
import org.cyphon.core.protocol.ShareView;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement as the coordinator runs it, over real HTTP and H2: labels and requirements, runtimes
 * learned from completed jobs, the "auto" checkpoint interval, and fair share that decays with its
 * half-life and survives a restart.
 */
@OnEveryStore
class PlacementTest {
    private final TestStore store;

    PlacementTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    private static long submit(
            ApiClient as, Map<String, String> requires, String checkpointEvery, Integer priority, String name) {
        JobSubmission s = JobSubmission.builder()
                .name(name)
                .command(List.of("/bin/true"))
                .priority(priority)
                .checkpointEvery(checkpointEvery)
                .requires(requires)
                .build();
        return as.post("/api/v1/jobs", s, SubmitReply.class).ids().get(0);
    }

    private static long submit(ApiClient as, Map<String, String> requires) {
        return submit(as, requires, null, null, null);
    }

    @Test
    void aJobRunsOnlyWhereItsLabelsAreAndWaitsVisiblyUntilAMachineCarriesThem() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            ApiClient alice = c.user("alice");
            TestAgent linux = TestAgent.enroll(c, "linux-1", 1, 8L << 30);
            linux.beatLabels(Map.of("os", "linux", "arch", "x86_64"));
            TestAgent plain = TestAgent.enroll(c, "plain-1", 1, 8L << 30);
            plain.beatLabels(Map.of("os", "linux", "arch", "x86_64"));

            long gpuJob = submit(alice, Map.of("gpu", "nvidia"));
            // Nothing online carries gpu=nvidia: it waits, and says why (cyphon q's WHY column).
            c.periodicWork().schedule(); // after the submit's pass
            assertThat(linux.work(0)).isEmpty();
            assertThat(plain.work(0)).isEmpty();
            assertThat(show(alice, gpuJob).state()).isEqualTo("queued");
            assertThat(show(alice, gpuJob).progress().reason()).isEqualTo("no online machine carries gpu=nvidia");
            assertThat(show(alice, gpuJob).needs().requires()).containsExactly(Map.entry("gpu", "nvidia"));

            // An admin labels plain-1: the job goes there, and only there.
            MachineView labelled = c.admin()
                    .post(
                            "/api/v1/machines/plain-1/labels",
                            new LabelRequest(Map.of("gpu", "nvidia"), List.of()),
                            MachineView.class);
            assertThat(labelled.labels()).containsEntry("gpu", "nvidia").containsEntry("os", "linux");
            assertThat(labelled.adminLabels()).containsExactly(Map.entry("gpu", "nvidia"));
            List<WorkAssignment> got = plain.work(10_000);
            assertThat(got).extracting(WorkAssignment::jobId).containsExactly(gpuJob);
            c.periodicWork().schedule();
            assertThat(linux.work(0)).isEmpty();

            // A job requiring what the agent reports runs on a machine reporting it.
            long linuxJob = submit(alice, Map.of("os", "linux"));
            assertThat(linux.work(10_000)).extracting(WorkAssignment::jobId).containsExactly(linuxJob);

            // Removing the admin label takes the machine out of reach of the next gpu job.
            c.admin()
                    .post(
                            "/api/v1/machines/plain-1/labels",
                            new LabelRequest(Map.of(), List.of("gpu")),
                            MachineView.class);
            plain.report(TestAgent.exited(got.get(0), 0));
            long second = submit(alice, Map.of("gpu", "nvidia"));
            c.periodicWork().schedule(); // after the submit's pass
            assertThat(plain.work(0)).isEmpty();
            assertThat(show(alice, second).progress().reason()).isEqualTo("no online machine carries gpu=nvidia");
            // Labels survive in the store: cyphon machines shows them.
            MachineView m = c.admin().get("/api/v1/machines/linux-1", MachineView.class);
            assertThat(m.labels()).containsEntry("arch", "x86_64");
        }
    }

    @Test
    void badLabelsAreRefusedWithTheirName() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            ApiClient alice = c.user("alice");
            TestAgent.enroll(c, "m1", 1, 8L << 30).beat();
            JobSubmission bad = JobSubmission.builder()
                    .command(List.of("/bin/true"))
                    .requires(Map.of("GPU!", "x"))
                    .build();
            ApiClient.Reply r = alice.post("/api/v1/jobs", bad);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("requires").contains("GPU!");
            assertThat(alice.post("/api/v1/machines/m1/labels", new LabelRequest(Map.of("room", "b12"), List.of()))
                            .status())
                    .isEqualTo(403);
            ApiClient.Reply badValue =
                    c.admin().post("/api/v1/machines/m1/labels", new LabelRequest(Map.of("room", "b 12"), List.of()));
            assertThat(badValue.status()).isEqualTo(400);
            assertThat(badValue.body()).contains("room");
            assertThat(c.admin()
                            .post("/api/v1/machines/nope/labels", new LabelRequest(Map.of("room", "b12"), List.of()))
                            .status())
                    .isEqualTo(404);
            assertThat(c.admin().get("/api/v1/machines/m1", MachineView.class).adminLabels())
                    .isEmpty();
        }
    }

    @Test
    void theRuntimeOfCompletedJobsIsLearnedPerNameAndOwnerAndSurvivesARestart() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            ApiClient alice = c.user("alice");
            ApiClient bob = c.user("bob");
            TestAgent m1 = c.agent("m1", 1);
            long first = submit(alice, null, null, null, "render");
            assertThat(show(alice, first).needs().expectedRuntimeSeconds()).isNull();
            WorkAssignment w = m1.work(10_000).get(0);
            c.clock.advance(Duration.ofMinutes(20));
            m1.report(TestAgent.exited(w, 0));

            long next = submit(alice, null, null, null, "render");
            c.periodicWork().schedule(); // after the pass the report asked for, which learned the runtime
            assertThat(show(alice, next).needs().expectedRuntimeSeconds()).isEqualTo(20 * 60);
            // Another owner's job of the same name has no history.
            assertThat(show(bob, submit(bob, null, null, null, "render"))
                            .needs()
                            .expectedRuntimeSeconds())
                    .isNull();

            // Rebuilt from the job table at start.
            c.restart();
            assertThat(show(alice, next).needs().expectedRuntimeSeconds()).isEqualTo(20 * 60);
        }
    }

    @Test
    void anAutoCheckpointIntervalIsChosenAtAssignment() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            ApiClient alice = c.user("alice");
            TestAgent m1 = c.agent("m1", 2);
            long auto = submit(alice, null, "auto", null, null);
            long fixed = submit(alice, null, "10m", null, null);
            assertThat(show(alice, auto).checkpoints().everySeconds()).isZero();
            List<WorkAssignment> got = new java.util.ArrayList<>(m1.work(10_000));
            if (got.size() < 2) got.addAll(m1.work(10_000));
            Map<Long, Long> every = new java.util.HashMap<>();
            for (WorkAssignment w : got) every.put(w.jobId(), w.checkpointEverySeconds());
            // No forecast for this desk yet: the default; never 0, which the agent would take literally.
            assertThat(every)
                    .containsEntry(auto, Duration.ofMinutes(30).toSeconds())
                    .containsEntry(fixed, 600L);
        }
    }

    @Test
    void fairShareServesTheLeastRecentUserFirstDecaysWithItsHalfLifeAndSurvivesARestart() throws Exception {
        try (TestCoordinator c =
                TestCoordinator.start(store, dir, cfg -> cfg.withFairShareHalfLife(Duration.ofHours(10)))) {
            ApiClient alice = c.user("alice");
            ApiClient bob = c.user("bob");
            TestAgent m1 = c.agent("m1", 1);
            // Alice uses the machine for an hour.
            long hers = submit(alice, null);
            WorkAssignment w = m1.work(10_000).get(0);
            assertThat(w.jobId()).isEqualTo(hers);
            c.clock.advance(Duration.ofHours(1));
            m1.report(TestAgent.ended(w, AttemptOutcome.EXITED, 0, 3600.0, null));
            c.periodicWork().schedule(); // after the pass the report asked for, which charged alice
            assertThat(usage(c, "alice")).isCloseTo(3600.0, within(1.0));

            // One half-life later, half of it is remembered.
            c.clock.advance(Duration.ofHours(10));
            assertThat(usage(c, "alice")).isCloseTo(1800.0, within(1.0));

            // Alice submits first, bob after: bob, who used nothing, runs first.
            m1.beat();
            c.admin().post("/api/v1/machines/m1/drain", null);
            long aliceJob = submit(alice, null);
            long bobJob = submit(bob, null);
            c.admin().post("/api/v1/machines/m1/undrain", null);
            WorkAssignment firstServed = m1.work(10_000).get(0);
            assertThat(firstServed.jobId()).isEqualTo(bobJob);
            assertThat(aliceJob).isLessThan(bobJob);

            // Persisted at stop, restored at start, still decaying from where it was.
            c.restart();
            assertThat(usage(c, "alice")).isCloseTo(1800.0, within(1.0));
            ShareList shares = c.admin().get("/api/v1/users", ShareList.class);
            assertThat(shares.halfLifeSeconds()).isEqualTo(Duration.ofHours(10).toSeconds());
            assertThat(shares.users()).extracting(ShareView::owner).first().isEqualTo("bob");
        }
    }

    private static double usage(TestCoordinator c, String owner) {
        ShareList s = c.admin().get("/api/v1/users", ShareList.class);
        return s.users().stream()
                .filter(u -> u.owner().equals(owner))
                .mapToDouble(ShareView::usageCpuSeconds)
                .findFirst()
                .orElse(0);
    }
}
