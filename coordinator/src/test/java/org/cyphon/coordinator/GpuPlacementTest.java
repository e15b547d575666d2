package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.show;

import java.nio.file.Path;
import java.util.List;
import org.cyphon.core.protocol.GpuView;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPUs as the coordinator counts them, over real HTTP and H2: a desk's GPUs come with its
 * heartbeats, its live attempts hold them, and a GPU job waits (saying why when no desk has enough)
 * until one is free.
 */
class GpuPlacementTest {
    private static final String UUID0 = "GPU-5d3c3d57-8e6f-2a4b-9c1d-7f0e1a2b3c4d";
    private static final String UUID1 = "GPU-a1b2c3d4-0000-1111-2222-333344445555";

    @TempDir
    Path dir;

    private static long submitGpus(ApiClient as, Integer gpus) {
        JobSubmission s =
                JobSubmission.builder().command(List.of("/bin/true")).gpus(gpus).build();
        return as.post("/api/v1/jobs", s, SubmitReply.class).ids().get(0);
    }

    private static GpuView gpu(int index, String uuid) {
        return new GpuView(index, uuid, "NVIDIA GeForce RTX 3060", 12L << 30, 0.03, null);
    }

    @Test
    void aGpuJobRunsOnlyOnTheDeskWithAFreeGpuAndTheNextWaitsForIt() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(dir)) {
            ApiClient alice = c.user("alice");
            TestAgent plain = TestAgent.enroll(c, "plain", 8, 16L << 30);
            plain.beat();
            TestAgent gpuDesk = TestAgent.enroll(c, "gpu-desk", 2, 16L << 30);
            gpuDesk.beat();

            long early = submitGpus(alice, 1);
            c.periodicWork().schedule();
            assertThat(show(alice, early).progress().reason()).isEqualTo("no online machine has 1 GPU");

            gpuDesk.beatGpus(List.of(gpu(0, UUID0)));
            List<WorkAssignment> got = gpuDesk.work(10_000);
            assertThat(got).extracting(WorkAssignment::jobId).containsExactly(early);
            assertThat(got.get(0).gpus()).isEqualTo(1);
            assertThat(show(alice, early).needs().gpus()).isEqualTo(1);

            long second = submitGpus(alice, 1);
            long cpuOnly = submitGpus(alice, null);
            c.periodicWork().schedule();
            assertThat(plain.work(10_000)).extracting(WorkAssignment::jobId).containsExactly(cpuOnly);
            assertThat(plain.holding.get(0).gpus()).isNull();
            assertThat(gpuDesk.work(0)).isEmpty();
            assertThat(show(alice, second).state()).isEqualTo("queued");
            assertThat(show(alice, second).progress().reason()).isNull(); // a desk has a GPU: it waits for room

            MachineView busy = c.admin().get("/api/v1/machines/gpu-desk", MachineView.class);
            assertThat(busy.gpus()).extracting(GpuView::uuid).containsExactly(UUID0);
            assertThat(busy.freeGpus()).isZero();

            gpuDesk.report(TestAgent.exited(got.get(0), 0));
            assertThat(gpuDesk.work(10_000)).extracting(WorkAssignment::jobId).containsExactly(second);
        }
    }

    @Test
    void twoGpusOnOneDeskTakeTwoJobsAndAnOldAgentsSilenceKeepsThem() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(dir)) {
            ApiClient alice = c.user("alice");
            TestAgent desk = TestAgent.enroll(c, "twin", 4, 16L << 30);
            desk.beatGpus(List.of(gpu(0, UUID0), gpu(1, UUID1)));
            // A heartbeat that says nothing of GPUs (an agent before GPU jobs) keeps what is stored.
            desk.beat();
            long a = submitGpus(alice, 1);
            long b = submitGpus(alice, 1);
            long both = submitGpus(alice, 2);
            c.periodicWork().schedule();
            assertThat(desk.work(10_000)).extracting(WorkAssignment::jobId).containsExactlyInAnyOrder(a, b);
            MachineView m = c.admin().get("/api/v1/machines/twin", MachineView.class);
            assertThat(m.gpus()).hasSize(2);
            assertThat(m.freeGpus()).isZero();
            assertThat(show(alice, both).state()).isEqualTo("queued");
        }
    }

    @Test
    void badGpuListsAndCountsAreRefusedWithTheirField() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(dir)) {
            TestAgent desk = TestAgent.enroll(c, "m1", 1, 8L << 30);
            ApiClient.Reply twice = desk.beatGpusRaw(List.of(gpu(0, UUID0), gpu(1, UUID0)));
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.field()).isEqualTo("gpus[1].uuid");
            ApiClient.Reply busy = desk.beatGpusRaw(List.of(new GpuView(0, UUID0, "x", 1, 1.5, null)));
            assertThat(busy.status()).isEqualTo(400);
            assertThat(busy.field()).isEqualTo("gpus[0].busyFraction");

            JobSubmission tooMany = JobSubmission.builder()
                    .command(List.of("/bin/true"))
                    .gpus(17)
                    .build();
            ApiClient.Reply r = c.user("alice").post("/api/v1/jobs", tooMany);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("gpus").contains("between 0 and 16");
        }
    }

    @Test
    void aDeskWhosePolicyHoldsGpuWorkBackTakesCpuWorkButNoGpuJob() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(dir)) {
            ApiClient alice = c.user("alice");
            TestAgent desk = TestAgent.enroll(c, "gamer", 4, 16L << 30);
            // The owner's game keeps the GPU busy: the agent says new GPU work may not start.
            desk.beatGpusRaw(List.of(gpu(0, UUID0)), false).as(org.cyphon.core.protocol.HeartbeatReply.class);
            long gpuJob = submitGpus(alice, 1);
            long cpuJob = submitGpus(alice, null);
            c.periodicWork().schedule();
            assertThat(desk.work(10_000)).extracting(WorkAssignment::jobId).containsExactly(cpuJob);
            assertThat(show(alice, gpuJob).state()).isEqualTo("queued");
            assertThat(show(alice, gpuJob).progress().reason())
                    .as("a desk has the GPU; it waits for it to be free for work")
                    .isNull();

            desk.beatGpusRaw(List.of(gpu(0, UUID0)), true).as(org.cyphon.core.protocol.HeartbeatReply.class);
            assertThat(desk.work(10_000)).extracting(WorkAssignment::jobId).containsExactly(gpuJob);
        }
    }
}
