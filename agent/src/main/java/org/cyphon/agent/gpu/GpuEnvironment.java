package org.cyphon.agent.gpu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The variables that tell a job which GPUs are its own. CUDA numbers devices fastest first unless
 * told {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}, and then its numbers are nvidia-smi's indexes, which
 * is what {@code CUDA_VISIBLE_DEVICES} names; {@code NVIDIA_VISIBLE_DEVICES} (the container
 * toolkit's) gets the UUIDs, stable whatever the order. Set after the job's own variables, so a
 * submitter's {@code CUDA_VISIBLE_DEVICES} cannot point elsewhere (the device walls would refuse it anyway).
 */
public final class GpuEnvironment {
    private GpuEnvironment() {}

    /** Nothing for a job without GPUs. */
    public static Map<String, String> of(List<Gpu> mine) {
        Map<String, String> env = new LinkedHashMap<>();
        if (mine.isEmpty()) return env;
        env.put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
        env.put(
                "CUDA_VISIBLE_DEVICES",
                mine.stream().map(g -> Integer.toString(g.index())).collect(Collectors.joining(",")));
        env.put("NVIDIA_VISIBLE_DEVICES", mine.stream().map(Gpu::uuid).collect(Collectors.joining(",")));
        env.put("CYPHON_GPUS", Integer.toString(mine.size()));
        return env;
    }
}
