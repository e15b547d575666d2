package org.cyphon.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cyphon.agent.sandbox.DeviceNode;
import org.cyphon.core.protocol.GpuView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desk's GPUs read through the stand-in nvidia-smi, handed out whole and given back. */
class DeskGpusTest {
    @TempDir
    Path tmp;

    @Test
    void gpusAreReadAtOpenHandedOutLowestFirstAndReportedWithTheirJob() throws Exception {
        try (FakeNvidiaGpus fake = FakeNvidiaGpus.create(tmp, 2)) {
            DeskGpus desk = DeskGpus.open(new GpuSettings(fake.nvidiaSmi, fake.devDir));
            assertThat(desk.status()).isEqualTo("ok");
            assertThat(desk.gpus()).extracting(Gpu::uuid).containsExactlyElementsOf(fake.uuids);

            List<Gpu> first = desk.assign("j7-a1", 7, 1);
            assertThat(first).extracting(Gpu::index).containsExactly(0);
            assertThat(desk.hiddenFrom(first)).extracting(DeviceNode::path).containsExactly(fake.node("nvidia1"));
            assertThat(desk.views()).extracting(GpuView::jobId).containsExactly(7L, null);
            assertThat(desk.views().get(0).memoryBytes()).isEqualTo(12288L << 20);

            assertThat(desk.assign("j8-a1", 8, 1)).extracting(Gpu::index).containsExactly(1);
            assertThatThrownBy(() -> desk.assign("j9-a1", 9, 1))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("asks for 1 GPU; this desk has 0 free of 2");

            desk.release("j7-a1");
            assertThat(desk.assign("j9-a1", 9, 1)).extracting(Gpu::index).containsExactly(0);
            assertThat(desk.assign("j10-a1", 10, 0)).isEmpty();
        }
    }

    @Test
    void aNewReadingKeepsWhatJobsHoldAndAFailedOneKeepsTheGpus() throws Exception {
        try (FakeNvidiaGpus fake = FakeNvidiaGpus.create(tmp, 1)) {
            DeskGpus desk = DeskGpus.open(new GpuSettings(fake.nvidiaSmi, fake.devDir));
            desk.assign("j1-a1", 1, 1);
            fake.utilisation(0, 64);
            desk.update(desk.nvidiaSmi().read());
            assertThat(desk.views()).singleElement().satisfies(v -> {
                assertThat(v.jobId()).isEqualTo(1L);
                assertThat(v.busyFraction()).isEqualTo(0.64);
            });
            desk.failed("nvidia-smi did not finish within PT10S");
            assertThat(desk.gpus()).hasSize(1);
            assertThat(desk.status()).contains("did not finish");
        }
    }

    @Test
    void theDriversDeviceMinorWinsOverTheIndex() throws Exception {
        try (FakeNvidiaGpus fake = FakeNvidiaGpus.create(tmp, 2)) {
            // The driver numbered them the other way round: index 0 (bus 01) is /dev/nvidia1.
            for (int bus = 1; bus <= 2; bus++) {
                Path info = Files.createDirectories(tmp.resolve("driver/0000:0" + bus + ":00.0"));
                Files.writeString(
                        info.resolve("information"),
                        DriverMinorsTest.INFORMATION.replace("Device Minor: \t 3", "Device Minor: \t " + (2 - bus)));
            }
            DeskGpus desk = new DeskGpus(new NvidiaSmi(fake.nvidiaSmi), fake.devDir, tmp.resolve("driver"));
            desk.update(desk.nvidiaSmi().read());
            assertThat(desk.gpus()).extracting(Gpu::minor).containsExactly(1, 0);
            List<Gpu> mine = desk.assign("j1-a1", 1, 1);
            assertThat(desk.hiddenFrom(mine)).extracting(DeviceNode::path).containsExactly(fake.node("nvidia0"));
        }
    }

    @Test
    void aDeskWithoutNvidiaSmiOffersNoGpuAndSaysWhyWhenOneIsAskedFor() {
        DeskGpus desk = new DeskGpus(null, tmp);
        assertThat(desk.views()).isEmpty();
        assertThatThrownBy(() -> desk.assign("j1-a1", 1, 1))
                .hasMessageContaining("0 free of 0 (nvidia-smi: no nvidia-smi)");
    }
}
