package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A desk VM (the owner's own OS as a guest, issue 4) as its agent last read it: sent with every
 * heartbeat, shown by {@code cyphon machines}, {@code cyphon machine NAME} and
 * {@code cyphon desk MACHINE status}. Null in a heartbeat or a {@link MachineView} when the
 * machine has no desk ({@code [desk]} absent from its {@code agent.toml}) or runs an older agent.
 *
 * @param name            the desk's name
 * @param backend         {@code qemu} (QEMU over QMP, no daemon) or {@code libvirt}
 * @param state           {@code stopped}, {@code running}, {@code paused}, {@code saved}, {@code failed},
 *                        {@code restoring}, or {@code unknown} when the agent could not read it (see {@code problem})
 * @param hypervisorState the hypervisor's own word for it (QEMU's run state, libvirt's state and reason), or null without a VM
 * @param accel           {@code kvm} or {@code tcg} for the running or saved VM; null before the first start
 * @param accelReason     why that accelerator, in words
 * @param pid             the hypervisor process, or null
 * @param startedAt       when that process started, or null
 * @param overlay         the desk's system disk (the overlay of the golden image)
 * @param undoAvailable   whether the last reimage can be undone
 * @param savedAt         when the saved state was written, or null when there is none
 * @param cpuCapCores     the VM's CPU cap in cores, or null for none
 * @param balloonMiB      the memory the guest has now, or null when unknown
 * @param memoryMaxMiB    the guest's configured memory
 * @param vcpus           the guest's virtual CPUs
 * @param cpuSeconds      CPU time the VM used since it started, or null when not accounted
 * @param cgroup          the VM's cgroup, or why there is none
 * @param vcpuThreads     host thread ids of the vCPUs (empty or null when unknown)
 * @param display         {@code none}, {@code vnc 127.0.0.1:5901}, {@code spice 127.0.0.1:5930}
 * @param serialConsole   how to reach the guest's serial console when its OS is dead (a socket path, or a command)
 * @param observedAt      when the agent read all this
 * @param problem         why the agent could not read the desk's state, or null
 * @param cpuWeight       the VM's CPU weight (cgroup v2 units, 100 = a normal group), or null when not set
 * @param keeperTarget    where the agent's desk keeper is taking the VM ({@code running}, {@code paused},
 *                        {@code saved}), or null without a keeper
 * @param control         who decides where the VM goes and what comes next, why it failed, and the
 *                        memory it holds; null from agents before the desk controller
 */
public record DeskVmView(
        String name,
        String backend,
        String state,
        String hypervisorState,
        String accel,
        String accelReason,
        Long pid,
        Instant startedAt,
        String overlay,
        boolean undoAvailable,
        Instant savedAt,
        Double cpuCapCores,
        Long balloonMiB,
        long memoryMaxMiB,
        int vcpus,
        Double cpuSeconds,
        String cgroup,
        List<Long> vcpuThreads,
        String display,
        String serialConsole,
        Instant observedAt,
        String problem,
        Integer cpuWeight,
        String keeperTarget,
        DeskControlView control) {

    /**
     * The same view with the keeper's part added: where it takes the VM and the controller's view
     * (the agent reads the VM first, then asks its keeper).
     */
    public DeskVmView withKeeper(String target, DeskControlView c) {
        return new DeskVmView(
                name,
                backend,
                state,
                hypervisorState,
                accel,
                accelReason,
                pid,
                startedAt,
                overlay,
                undoAvailable,
                savedAt,
                cpuCapCores,
                balloonMiB,
                memoryMaxMiB,
                vcpus,
                cpuSeconds,
                cgroup,
                vcpuThreads,
                display,
                serialConsole,
                observedAt,
                problem,
                cpuWeight,
                target,
                c);
    }
}
