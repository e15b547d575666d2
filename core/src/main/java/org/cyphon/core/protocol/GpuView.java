package org.cyphon.core.protocol;

/**
 * One GPU of a desk as its agent last read it from {@code nvidia-smi}: sent with every heartbeat,
 * shown by {@code cyphon machines} (counts) and {@code cyphon machine NAME} (one line each).
 *
 * @param index        nvidia-smi's index (0-based, PCI bus order): what {@code CUDA_VISIBLE_DEVICES}
 *                     names with {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}
 * @param uuid         the GPU's UUID ({@code GPU-...}), stable across reboots and slots
 * @param name         the product name, e.g. {@code NVIDIA GeForce RTX 3060}
 * @param memoryBytes  its memory; 0 when nvidia-smi does not say
 * @param busyFraction its utilisation 0..1 (everyone's: the owner's and the jobs'); null when the
 *                     GPU does not report it
 * @param jobId        the job it is assigned to on this desk; null: free
 */
public record GpuView(int index, String uuid, String name, long memoryBytes, Double busyFraction, Long jobId) {

    /** Free: no job holds it. */
    public boolean free() {
        return jobId == null;
    }
}
