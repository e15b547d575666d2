package org.cyphon.agent.desk;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A desk as it is now, for {@code cyphon desk MACHINE status} (records serialize to JSON as they are).
 *
 * @param name          the desk's name
 * @param state         stopped, running, paused, saved, failed, restoring
 * @param qemuStatus    QEMU's own run state ({@code running}, {@code paused}, {@code postmigrate}, ...), or null with no VM
 * @param accel         the accelerator of the running or saved VM ({@code kvm}/{@code tcg}), null before the first start
 * @param accelReason   why that accelerator
 * @param pid           the QEMU process, or null
 * @param startedAt     when the QEMU process started, or null
 * @param overlay       the overlay disk
 * @param undoAvailable whether a reimage can be undone (a previous overlay is kept)
 * @param savedAt       when the saved state was written, or null
 * @param cpuCapCores   the CPU cap in cores, or null for none
 * @param cpuWeight     the VM's CPU weight (cgroup v2 units, 100 = normal), or null when not set
 * @param balloonMiB    the memory the guest has now (after the balloon), or null when unknown
 * @param cpuUsage      CPU time the VM used since it started (its cgroup), or null when there is no cgroup
 * @param cgroup        the VM's cgroup directory, or a sentence saying why there is none
 * @param vcpuThreads   host thread ids of the vCPUs, empty with no VM
 * @param display       {@code none}, {@code vnc 127.0.0.1:5901}, ...
 * @param serialSocket  the guest's serial console (attach with {@code socat - UNIX-CONNECT:PATH})
 * @param failure       why the desk is failed (its VM's exit status and last log lines, or the
 *                      hypervisor's word for a dead guest); null unless failed
 * @param balloonTargetMiB the balloon target last set on this VM, or null when none was (a guest
 *                      starts with all its memory) or it is not known (a VM taken over)
 */
public record DeskVmStatus(
        String name,
        DeskVmState state,
        String qemuStatus,
        Accel accel,
        String accelReason,
        Long pid,
        Instant startedAt,
        Path overlay,
        boolean undoAvailable,
        Instant savedAt,
        Double cpuCapCores,
        Integer cpuWeight,
        Long balloonMiB,
        Duration cpuUsage,
        String cgroup,
        List<Long> vcpuThreads,
        String display,
        Path serialSocket,
        String failure,
        Long balloonTargetMiB) {

    /** A VM process exists (a failed desk may still have one: a guest panic). */
    public boolean hasProcess() {
        return pid != null;
    }
}
