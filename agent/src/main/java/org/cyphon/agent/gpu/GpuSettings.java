package org.cyphon.agent.gpu;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code [gpu]} in {@code agent.toml}.
 *
 * @param nvidiaSmi the {@code nvidia-smi} to run; null: look on {@code PATH} and where NVIDIA's
 *                  packages put it
 * @param devDir    where the driver's device nodes are ({@code nvidia0}, {@code nvidiactl}, ...),
 *                  normally {@code /dev}
 */
public record GpuSettings(Path nvidiaSmi, Path devDir) {
    public GpuSettings {
        Objects.requireNonNull(devDir, "devDir");
        if (!devDir.isAbsolute()) throw new IllegalArgumentException("gpu.dev_dir: '" + devDir + "' is not absolute");
        if (nvidiaSmi != null && !nvidiaSmi.isAbsolute())
            throw new IllegalArgumentException("gpu.nvidia_smi: '" + nvidiaSmi + "' is not an absolute path");
    }

    /** nvidia-smi found on PATH, nodes in /dev. */
    public static GpuSettings defaults() {
        return new GpuSettings(null, Path.of("/dev"));
    }
}
