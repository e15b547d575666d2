package org.cyphon.agent.gpu;

/** A process computing on a GPU, from {@code nvidia-smi --query-compute-apps=pid,gpu_uuid}. */
public record ComputeApp(long pid, String gpuUuid) {}
