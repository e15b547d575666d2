package org.cyphon.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two queries' CSV as nvidia-smi prints them with {@code --format=csv,noheader,nounits}: fields
 * joined by ", ", one line per GPU or process, [N/A] and [Not Supported] where a GPU has no figure.
 */
class NvidiaSmiCsvTest {
    static final String TWO_GPUS = """
            0, GPU-5d3c3d57-8e6f-2a4b-9c1d-7f0e1a2b3c4d, NVIDIA GeForce RTX 3060, 12288, 37, 00000000:01:00.0
            1, GPU-a1b2c3d4-0000-1111-2222-333344445555, Quadro P400, 2048, [N/A], 00000000:0A:00.0
            """;

    @Test
    void eachGpuLineGivesItsIndexUuidNameMemoryUseAndAddress() {
        List<Gpu> gpus = NvidiaSmiCsv.gpus(TWO_GPUS);
        assertThat(gpus).hasSize(2);
        Gpu first = gpus.get(0);
        assertThat(first.index()).isZero();
        assertThat(first.uuid()).isEqualTo("GPU-5d3c3d57-8e6f-2a4b-9c1d-7f0e1a2b3c4d");
        assertThat(first.name()).isEqualTo("NVIDIA GeForce RTX 3060");
        assertThat(first.memoryMib()).isEqualTo(12288);
        assertThat(first.busyFraction()).isCloseTo(0.37, within(1e-9));
        assertThat(first.busId()).isEqualTo("00000000:01:00.0");
        assertThat(first.minor()).as("not known from nvidia-smi").isEqualTo(-1);
        assertThat(gpus.get(1).busyFraction()).as("[N/A]").isNull();
    }

    @Test
    void aNameWithACommaAndFiguresTheGpuDoesNotReportAreRead() {
        List<Gpu> gpus = NvidiaSmiCsv.gpus(
                "0, GPU-00000000-1111-2222-3333-444444444444, NVIDIA A100-SXM4-40GB, Rev. 2, [Not Supported], [Not Supported], 00000000:3B:00.0\n");
        assertThat(gpus).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("NVIDIA A100-SXM4-40GB, Rev. 2");
            assertThat(g.memoryMib()).isZero();
            assertThat(g.busyFraction()).isNull();
            assertThat(g.busId()).isEqualTo("00000000:3B:00.0");
        });
        assertThat(NvidiaSmiCsv.gpus("")).isEmpty();
    }

    @Test
    void anythingButGpuLinesIsNamedNotGuessedAt() {
        assertThatThrownBy(() -> NvidiaSmiCsv.gpus("No devices were found\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No devices were found");
        assertThatThrownBy(() -> NvidiaSmiCsv.gpus("x, GPU-1, n, 1, 2, 00000000:01:00.0\n"))
                .hasMessageContaining("not a GPU line");
    }

    @Test
    void computeAppsArePidsOnGpusAndOtherLinesAreSkipped() {
        String apps = """
                4242, GPU-5d3c3d57-8e6f-2a4b-9c1d-7f0e1a2b3c4d
                4243, GPU-a1b2c3d4-0000-1111-2222-333344445555
                """;
        assertThat(NvidiaSmiCsv.computeApps(apps))
                .containsExactly(
                        new ComputeApp(4242, "GPU-5d3c3d57-8e6f-2a4b-9c1d-7f0e1a2b3c4d"),
                        new ComputeApp(4243, "GPU-a1b2c3d4-0000-1111-2222-333344445555"));
        assertThat(NvidiaSmiCsv.computeApps("")).isEmpty();
        assertThat(NvidiaSmiCsv.computeApps("No running processes found\n")).isEmpty();
    }
}
