package org.cyphon.agent.desk;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.cyphon.core.desk.VmMemory;
import org.cyphon.core.desk.VmState;
import org.cyphon.core.protocol.DeskControlView;
import org.cyphon.core.protocol.DeskVmView;

/** A desk's {@link DeskVmStatus} as the wire's {@link DeskVmView}, for heartbeats and desk commands. */
final class DeskViews {
    private DeskViews() {}

    static DeskVmView of(DeskVmStatus s, DeskConfig config, String serialConsole, Instant now) {
        return new DeskVmView(
                s.name(),
                config.backend().configName(),
                s.state().name().toLowerCase(Locale.ROOT),
                s.qemuStatus(),
                s.accel() == null ? null : s.accel().configName(),
                s.accelReason(),
                s.pid(),
                s.startedAt(),
                s.overlay().toString(),
                s.undoAvailable(),
                s.savedAt(),
                s.cpuCapCores(),
                s.balloonMiB(),
                config.spec().memoryMaxMiB(),
                config.spec().vcpus(),
                s.cpuUsage() == null ? null : s.cpuUsage().toNanos() / 1e9,
                s.cgroup(),
                s.vcpuThreads(),
                s.display(),
                serialConsole,
                now,
                null,
                s.cpuWeight(),
                null,
                new DeskControlView(null, null, null, null, s.failure(), heldMiB(s, config)));
    }

    /** What the VM holds of the machine's memory now (core's rule), taken from what the desk offers to jobs. */
    static long heldMiB(DeskVmStatus s, DeskConfig config) {
        return VmMemory.heldMiB(
                s.state().toCore(),
                s.hasProcess(),
                s.balloonTargetMiB(),
                s.balloonMiB(),
                config.spec().memoryMaxMiB());
    }

    /** What is known when the status itself could not be read: the configuration, and why. */
    static DeskVmView unreadable(DeskConfig config, String problem, Instant now) {
        DeskSpec spec = config.spec();
        return new DeskVmView(
                spec.name(),
                config.backend().configName(),
                "unknown",
                null,
                null,
                null,
                null,
                null,
                spec.overlay().toString(),
                false,
                null,
                null,
                null,
                spec.memoryMaxMiB(),
                spec.vcpus(),
                null,
                null,
                List.of(),
                spec.displayDescription(),
                null,
                now,
                problem,
                null,
                null,
                new DeskControlView(
                        null,
                        null,
                        null,
                        null,
                        null,
                        VmMemory.heldMiB(VmState.UNKNOWN, true, null, null, spec.memoryMaxMiB())));
    }
}
