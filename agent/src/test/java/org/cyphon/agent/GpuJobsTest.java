package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.cyphon.agent.gpu.FakeNvidiaGpus;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.owner.GpuSeen;
import org.cyphon.core.protocol.GpuView;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU jobs on a real agent (its sandbox, its owner-first loop) with two stand-in GPUs: a job gets a
 * GPU of its own and is told which, the heartbeat says who holds what, a job asking for more than
 * is free fails to start saying why, and the owner's GPU use freezes GPU work only (gpu_busy_max).
 */
class GpuJobsTest {
    @TempDir
    Path tmp;

    private TestDesk desk;
    private FakeNvidiaGpus fake;

    private TestDesk deskWithGpus(String policy) throws Exception {
        fake = FakeNvidiaGpus.create(Path.of("/srv"), 2);
        desk = new TestDesk(
                tmp,
                policy,
                "",
                "[gpu]\nnvidia_smi = \"%s\"\ndev_dir = \"%s\"\n".formatted(fake.nvidiaSmi, fake.devDir));
        return desk;
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (desk != null) desk.close();
        } finally {
            if (fake != null) fake.close();
        }
    }

    @Test
    void aGpuJobIsToldItsOwnGpuAndTheHeartbeatSaysWhoHoldsWhich() throws Exception {
        deskWithGpus("preset = \"dedicated\"");
        WorkAssignment first = desk.gpuJob(
                1, "echo \"$CUDA_VISIBLE_DEVICES $NVIDIA_VISIBLE_DEVICES $CYPHON_GPUS\"; exec sleep 1000", 1);
        WorkAssignment second =
                desk.gpuJob(2, "echo \"$CUDA_VISIBLE_DEVICES $NVIDIA_VISIBLE_DEVICES\"; exec sleep 1000", 1);
        desk.assign(first);
        desk.awaitStarted(first);
        desk.assign(second);
        desk.awaitStarted(second);

        await().atMost(TestDesk.PATIENCE)
                .until(() -> Files.readString(desk.attempt(second).stdout).contains("GPU-"));
        assertThat(Files.readString(desk.attempt(first).stdout).strip()).isEqualTo("0 " + fake.uuids.get(0) + " 1");
        assertThat(Files.readString(desk.attempt(second).stdout).strip()).isEqualTo("1 " + fake.uuids.get(1));

        desk.agent.heartbeats().beat();
        assertThat(desk.coordinator.lastBeat().gpus())
                .extracting(GpuView::index, GpuView::jobId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, 1L), org.assertj.core.groups.Tuple.tuple(1, 2L));

        // Every GPU is held: a third GPU job cannot start, and says why.
        WorkAssignment third = desk.gpuJob(3, "exit 0", 1);
        desk.assign(third);
        desk.awaitEnded(third);
        assertThat(desk.attempt(third).report().outcome()).isEqualTo(AttemptOutcome.FAILED_TO_START);
        assertThat(desk.attempt(third).report().message()).contains("asks for 1 GPU; this desk has 0 free of 2");

        // The first one ends: its GPU is free for the next job.
        desk.attempt(first).job().kill();
        desk.awaitEnded(first);
        WorkAssignment fourth = desk.gpuJob(4, "echo \"$CUDA_VISIBLE_DEVICES\"", 1);
        desk.assign(fourth);
        desk.awaitEnded(fourth);
        assertThat(Files.readString(desk.attempt(fourth).stdout).strip()).isEqualTo("0");
    }

    @Test
    void theOwnersGpuUseFreezesGpuWorkAndLeavesCpuWorkRunning() throws Exception {
        deskWithGpus("preset = \"dedicated\"\ngpu_busy_max = \"30%\"");
        WorkAssignment gpuWork = desk.gpuJob(1, "exec sleep 1000", 1);
        WorkAssignment cpuWork = desk.job(2, "exec sleep 1000");
        desk.assign(gpuWork, cpuWork);
        desk.awaitStarted(gpuWork);
        desk.awaitStarted(cpuWork);

        desk.agent.ownerFirst().signal(new GpuSeen("nvidia-smi", Instant.now(), 0.8));

        await().atMost(TestDesk.PATIENCE)
                .until(() -> desk.attempt(gpuWork).policyStateName().equals("frozen"));
        assertThat(desk.attempt(cpuWork).policyStateName()).isEqualTo("running");
        // The coordinator hears that this desk takes CPU work but no new GPU work now.
        desk.agent.heartbeats().beat();
        assertThat(desk.coordinator.lastBeat().desk().mayStart()).isTrue();
        assertThat(desk.coordinator.lastBeat().desk().gpuWorkMayStart()).isFalse();

        desk.agent.ownerFirst().signal(new GpuSeen("nvidia-smi", Instant.now(), 0.05));
        await().atMost(TestDesk.PATIENCE)
                .until(() -> desk.attempt(gpuWork).policyStateName().equals("running"));
    }
}
