package org.cyphon.agent.gpu;

import org.cyphon.agent.sandbox.DeviceWall;

/**
 * What {@code cyphon machine NAME} says of a desk's GPU walls, added to its sandbox note: nothing
 * where a device cgroup denies each job the GPUs not its own, and the weaker wall, or its absence,
 * everywhere else, so an admin sees before sending GPU work there what keeps jobs apart.
 */
public final class GpuWallNote {
    private GpuWallNote() {}

    /**
     * @param sandboxNote  the sandbox's own note ("" when fully isolated)
     * @param nvidiaNodes  the desk has NVIDIA device nodes (a desk without them has nothing to wall)
     */
    public static String note(String sandboxNote, DeviceWall wall, boolean nvidiaNodes) {
        String gpus = !nvidiaNodes
                ? ""
                : switch (wall) {
                    case CGROUP -> "";
                    case MOUNTS ->
                        "GPU devices walled by path only (each job's mount namespace covers the GPUs not its own;"
                                + " no device cgroup on cgroup v2 without a BPF program)";
                    case NONE -> "GPU devices not walled (no device cgroup, no namespaces): a job may open any GPU";
                };
        if (gpus.isEmpty()) return sandboxNote;
        return sandboxNote.isEmpty() ? gpus : sandboxNote + "; " + gpus;
    }
}
