package org.cyphon.agent.gpu;

/**
 * One GPU as {@code nvidia-smi} reports it.
 *
 * @param index        nvidia-smi's index (PCI bus order)
 * @param uuid         {@code GPU-...}
 * @param name         the product name
 * @param memoryMib    its memory in MiB; 0 when not reported
 * @param busyFraction utilisation 0..1, everyone's; null when the GPU does not report it
 * @param busId        its PCI address as nvidia-smi prints it ({@code 00000000:01:00.0})
 * @param minor        the minor number of its {@code /dev/nvidiaN} node, which the driver numbers
 *                     apart from nvidia-smi's index
 */
public record Gpu(int index, String uuid, String name, long memoryMib, Double busyFraction, String busId, int minor) {

    /** The same GPU with its device node's minor number known. */
    Gpu withMinor(int m) {
        return new Gpu(index, uuid, name, memoryMib, busyFraction, busId, m);
    }
}
