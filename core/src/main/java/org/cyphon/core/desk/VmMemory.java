package org.cyphon.core.desk;

/**
 * The memory the desk VM holds, and so the memory the desk can offer to jobs: the machine's minus
 * the VM's. Every heartbeat carries the offer, and placement uses it, so a job that needs more
 * than the VM leaves is not placed beside it.
 *
 * <ul>
 *   <li>Running: its balloon target, or what the guest still has if it has not given back to the
 *       target yet (the larger: a guest shrinking towards a lower target still holds the rest).</li>
 *   <li>Paused: what the guest really has (after the squeeze, what it gave back is free).</li>
 *   <li>Saved or stopped, or a VM process that died: nothing.</li>
 *   <li>Restoring, failed with its process still there, or unreadable: all of {@code memory_max},
 *       as far as anyone can tell.</li>
 * </ul>
 */
public final class VmMemory {
    private VmMemory() {}

    /**
     * @param process   a VM process exists (a failed VM may have one: a guest panic)
     * @param targetMiB the balloon target last set, or null when unknown (a guest starts at memory_max)
     * @param actualMiB what the guest has now, or null when unknown
     */
    public static long heldMiB(VmState state, boolean process, Long targetMiB, Long actualMiB, long maxMiB) {
        if (!process || state == VmState.STOPPED || state == VmState.SAVED) return 0;
        long target = targetMiB != null ? targetMiB : maxMiB;
        return switch (state) {
            case RUNNING -> Math.min(maxMiB, Math.max(target, actualMiB != null ? actualMiB : 0));
            case PAUSED -> Math.min(maxMiB, actualMiB != null ? actualMiB : target);
            default -> maxMiB;
        };
    }

    /** What the machine offers to jobs with the VM holding {@code heldMiB}; never below zero. */
    public static long offerBytes(long machineBytes, long heldMiB) {
        return Math.max(0, machineBytes - (heldMiB << 20));
    }
}
