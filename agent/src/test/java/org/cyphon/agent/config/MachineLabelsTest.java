package org.cyphon.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineLabelsTest {
    @TempDir
    Path dir;

    @Test
    void oneNamePerArchitectureAndOs() {
        assertThat(MachineLabels.arch("amd64")).isEqualTo("x86_64");
        assertThat(MachineLabels.arch("arm64")).isEqualTo("aarch64");
        assertThat(MachineLabels.os("Linux")).isEqualTo("linux");
        assertThat(MachineLabels.os("Mac OS X")).isEqualTo("macos");
    }

    @Test
    void aGpuIsReportedOnlyWhenADriverShowsOne() throws Exception {
        Path nvidia = dir.resolve("nvidia-gpus");
        Path kfd = dir.resolve("kfd");
        assertThat(MachineLabels.detected(nvidia, kfd))
                .containsKeys("os", "arch")
                .doesNotContainKey("gpu");
        Files.createDirectories(nvidia.resolve("0000:01:00.0"));
        assertThat(MachineLabels.detected(nvidia, kfd)).containsEntry("gpu", "nvidia");
    }

    @Test
    void configuredLabelsWinOverDetectedOnes() {
        assertThat(MachineLabels.of(Map.of("os", "custom", "room", "b12")))
                .containsEntry("os", "custom")
                .containsEntry("room", "b12")
                .containsKey("arch");
    }
}
