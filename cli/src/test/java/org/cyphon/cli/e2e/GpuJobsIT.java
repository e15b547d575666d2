package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cyphon.agent.gpu.FakeNvidiaGpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU jobs end to end on a machine without a GPU: a real coordinator and two real agents, one with a
 * stand-in GPU (mknod'ed device nodes and a scripted nvidia-smi printing the real tool's CSV), one
 * without. {@code cyphon submit --gpus 1} runs only on the desk with the GPU, with
 * CUDA_VISIBLE_DEVICES set; a second one waits while that desk's only GPU is taken, and runs once it
 * is free; a job without a GPU on that desk cannot open the GPU's device node.
 */
class GpuJobsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private static String desk(FakeNvidiaGpus gpus, String labels) {
        return "[policy]\npreset = \"dedicated\"\n" + labels + "[gpu]\nnvidia_smi = \"" + gpus.nvidiaSmi
                + "\"\ndev_dir = \"" + gpus.devDir + "\"\n";
    }

    @Test
    void aGpuJobRunsOnlyOnTheDeskWithTheGpuSeesItsDeviceAndTheNextWaitsForIt() throws Exception {
        Path shared = JobPids.sharedDir();
        Path release = shared.resolve("release");
        // Device nodes and nvidia-smi under /srv: a job's namespace replaces /tmp and /home.
        try (FakeNvidiaGpus oneGpu = FakeNvidiaGpus.create(Path.of("/srv"), 1);
                FakeNvidiaGpus noGpu = FakeNvidiaGpus.create(Path.of("/srv"), 0);
                TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator()
                    .startAgent("plain", 4, desk(noGpu, ""))
                    .startAgent("gpu", 2, desk(oneGpu, "[labels]\nroom = \"gpu-lab\"\n"));
            await().atMost(PATIENCE)
                    .until(() -> pool.get("/machines/gpu").path("gpus").size() == 1);
            assertThat(pool.get("/machines/plain").path("gpus").size()).isZero();

            var first = pool.cli(
                    "submit",
                    "--gpus",
                    "1",
                    "--",
                    "sh",
                    "-c",
                    "echo \"CVD=$CUDA_VISIBLE_DEVICES NVD=$NVIDIA_VISIBLE_DEVICES\"; while [ ! -e " + release
                            + " ]; do sleep 0.2; done");
            assertThat(first.exitCode()).as(first.toString()).isZero();
            String firstId = first.stdout().trim();
            await().atMost(PATIENCE)
                    .until(() ->
                            pool.get("/jobs/" + firstId).path("state").asText().equals("running"));
            assertThat(pool.get("/jobs/" + firstId).path("machine").asText()).isEqualTo("gpu");

            var second = pool.cli("submit", "--gpus", "1", "--", "sh", "-c", "echo CVD=$CUDA_VISIBLE_DEVICES");
            String secondId = second.stdout().trim();
            // The plain desk has four free CPUs and no GPU: the job waits for the GPU, not for room.
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() ->
                            pool.get("/jobs/" + secondId).path("state").asText().equals("queued"));
            await().atMost(PATIENCE).until(() -> pool.cli("machines").stdout().contains("0/1"));
            var machines = pool.cli("machines");
            assertThat(machines.stdout()).contains("GPUS");
            var machine = pool.cli("machine", "gpu");
            assertThat(machine.stdout())
                    .contains("gpus:      0 free of 1")
                    .contains(oneGpu.uuids.get(0))
                    .contains("job " + firstId);

            // A job without a GPU on the same desk is walled off from the GPU's node.
            var snoop = pool.cli(
                    "submit",
                    "--require",
                    "room=gpu-lab",
                    "--",
                    "python3",
                    "-c",
                    "import errno, os\ntry:\n    os.open('" + oneGpu.node("nvidia0")
                            + "', os.O_RDWR); print('opened')\nexcept OSError as e:\n    print(errno.errorcode[e.errno])");
            String snoopId = snoop.stdout().trim();
            assertThat(pool.cli("wait", snoopId, "--timeout", "1m").exitCode())
                    .as(pool.logs())
                    .isZero();
            assertThat(pool.get("/jobs/" + snoopId).path("machine").asText()).isEqualTo("gpu");
            assertThat(pool.getText("/jobs/" + snoopId + "/logs?stream=stdout").strip())
                    .isIn("EPERM", "EACCES");

            Files.writeString(release, "go\n");
            assertThat(pool.cli("wait", firstId, secondId, "--timeout", "2m").exitCode())
                    .as(pool.logs())
                    .isZero();
            assertThat(pool.getText("/jobs/" + firstId + "/logs?stream=stdout"))
                    .isEqualTo("CVD=0 NVD=" + oneGpu.uuids.get(0) + "\n");
            assertThat(pool.get("/jobs/" + secondId).path("machine").asText()).isEqualTo("gpu");
            assertThat(pool.getText("/jobs/" + secondId + "/logs?stream=stdout"))
                    .isEqualTo("CVD=0\n");
            assertThat(pool.get("/jobs/" + secondId).path("gpus").asInt()).isEqualTo(1);
        }
    }
}
