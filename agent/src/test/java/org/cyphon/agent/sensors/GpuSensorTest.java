package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.cyphon.agent.gpu.DeskGpus;
import org.cyphon.agent.gpu.FakeNvidiaGpus;
import org.cyphon.agent.gpu.GpuSettings;
import org.cyphon.agent.gpu.JobProcesses;
import org.cyphon.agent.gpu.NvidiaSmi;
import org.cyphon.core.owner.GpuSeen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's GPU use from nvidia-smi. This machine has no GPU and no nvidia-smi: a stand-in
 * script answers the sensor's two queries with the CSV the real tool prints, through the real
 * process code. Where nvidia-smi exists, the real one is run too.
 */
class GpuSensorTest {

    @TempDir
    Path dir;

    @Test
    void theBusiestGpuIsTheOwnersUseAndTheDesksGpusAreRefreshed() throws Exception {
        try (FakeNvidiaGpus fake = FakeNvidiaGpus.create(dir, 2)) {
            DeskGpus gpus = DeskGpus.open(new GpuSettings(fake.nvidiaSmi, fake.devDir));
            fake.utilisation(0, 3);
            fake.utilisation(1, 41);
            GpuSensor sensor = new GpuSensor(gpus, JobProcesses.NONE, Duration.ofSeconds(1), Clock.systemUTC());

            Optional<GpuSeen> seen = sensor.sample(Instant.now());

            assertThat(seen).get().extracting(GpuSeen::source).isEqualTo("nvidia-smi");
            assertThat(seen.get().busyFraction()).isCloseTo(0.41, within(1e-9));
            assertThat(sensor.status()).isEqualTo("ok");
            assertThat(gpus.views().get(1).busyFraction()).isCloseTo(0.41, within(1e-9));
        }
    }

    @Test
    void aJobsOwnComputingOnItsGpuIsNotTheOwnersUse() throws Exception {
        try (FakeNvidiaGpus fake = FakeNvidiaGpus.create(dir, 2)) {
            DeskGpus gpus = DeskGpus.open(new GpuSettings(fake.nvidiaSmi, fake.devDir));
            gpus.assign("j5-a1", 5, 1); // GPU 0
            fake.utilisation(0, 97);
            fake.utilisation(1, 12);
            fake.computeApps("4242, " + fake.uuids.get(0) + "\n");
            GpuSensor sensor = new GpuSensor(gpus, pid -> pid == 4242, Duration.ofSeconds(1), Clock.systemUTC());

            assertThat(sensor.sample(Instant.now()).orElseThrow().busyFraction())
                    .as("GPU 0 is the job's; the owner uses GPU 1 at 12%")
                    .isCloseTo(0.12, within(1e-9));

            // The owner starts a CUDA program on the job's GPU: all of its use is the owner's now.
            fake.computeApps("4242, " + fake.uuids.get(0) + "\n777, " + fake.uuids.get(0) + "\n");
            assertThat(sensor.sample(Instant.now()).orElseThrow().busyFraction())
                    .isCloseTo(0.97, within(1e-9));
        }
    }

    @Test
    void aFailingNvidiaSmiGivesNoFigureAndItsMessageShowsInTheStatus() throws Exception {
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, """
                #!/bin/sh
                echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
                exit 9
                """);
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        DeskGpus gpus = new DeskGpus(new NvidiaSmi(smi), dir);
        GpuSensor sensor = new GpuSensor(gpus, JobProcesses.NONE, Duration.ofSeconds(1), Clock.systemUTC());

        assertThat(sensor.sample(Instant.now())).isEmpty();
        assertThat(sensor.status()).startsWith("nvidia-smi failed (exit 9): NVIDIA-SMI has failed");
        assertThat(gpus.status()).startsWith("nvidia-smi failed (exit 9)");
    }

    @Test
    void withoutNvidiaSmiTheSensorDoesNotStartAndSaysSo() {
        GpuSensor sensor =
                new GpuSensor(new DeskGpus(null, dir), JobProcesses.NONE, Duration.ofSeconds(1), Clock.systemUTC());
        assertThat(sensor.start(s -> {})).isFalse();
        assertThat(sensor.status()).isEqualTo("no nvidia-smi");
        assertThat(NvidiaSmi.locate(dir.toString()))
                .as("an empty PATH dir adds nothing")
                .isEqualTo(NvidiaSmi.locate(""));
    }

    @Test
    void theRealNvidiaSmiWhereThisMachineHasOne() {
        DeskGpus gpus = DeskGpus.open(GpuSettings.defaults());
        try (GpuSensor sensor = new GpuSensor(gpus, JobProcesses.NONE, Duration.ofSeconds(1), Clock.systemUTC())) {
            if (NvidiaSmi.locate(System.getenv("PATH")).isPresent()) {
                Optional<GpuSeen> seen = sensor.sample(Instant.now());
                assertThat(seen).as(sensor.status()).isPresent();
                assertThat(seen.get().busyFraction()).isBetween(0.0, 1.0);
            } else {
                assertThat(sensor.start(s -> {})).isFalse();
                assertThat(sensor.status()).isEqualTo("no nvidia-smi");
            }
        }
    }
}
