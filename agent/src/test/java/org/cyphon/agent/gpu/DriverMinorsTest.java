package org.cyphon.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's per-GPU {@code information} file, as {@code /proc/driver/nvidia/gpus/BUS/information} shows it. */
class DriverMinorsTest {
    static final String INFORMATION = """
            Model: \t\t NVIDIA GeForce RTX 3060
            IRQ:   \t\t 134
            GPU UUID: \t GPU-5d3c3d57-8e6f-2a4b-9c1d-7f0e1a2b3c4d
            Video BIOS: \t 94.06.25.00.5b
            Bus Type: \t PCIe
            DMA Size: \t 39 bits
            DMA Mask: \t 0x7fffffffff
            Bus Location: \t 0000:0a:00.0
            Device Minor: \t 3
            GPU Excluded:\t No
            """;

    @TempDir
    Path dir;

    @Test
    void theDeviceMinorIsReadFromTheDirectoryNamedByTheBusAddress() throws Exception {
        Path gpu = Files.createDirectories(dir.resolve("0000:0a:00.0"));
        Files.writeString(gpu.resolve("information"), INFORMATION);

        assertThat(DriverMinors.of(dir, "00000000:0A:00.0")).hasValue(3);
        assertThat(DriverMinors.of(dir, "00000000:01:00.0")).as("no such GPU").isEmpty();
        assertThat(DriverMinors.of(dir.resolve("none"), "00000000:0A:00.0")).isEmpty();
    }

    @Test
    void busAddressesAreNormalisedAndNonsenseIsNoAddress() {
        assertThat(DriverMinors.procName("00000000:0A:00.0")).isEqualTo("0000:0a:00.0");
        assertThat(DriverMinors.procName("0001:3B:00.1")).isEqualTo("0001:3b:00.1");
        assertThat(DriverMinors.procName("../../etc:00:00.0")).isNull();
        assertThat(DriverMinors.procName("[N/A]")).isNull();
        assertThat(DriverMinors.parse("Model: x\n")).isEmpty();
    }
}
