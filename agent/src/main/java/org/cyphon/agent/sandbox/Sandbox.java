package org.cyphon.agent.sandbox;

import java.io.IOException;

/**
 * How jobs are isolated on this machine, chosen once at agent start by {@link Sandboxes#detect}.
 *
 * <p>Every job started through a sandbox runs as a real process tree in its own session, in its
 * own working directory, with {@code SCHED_IDLE}, nice 19 and the idle I/O class, so the person at
 * the desk never competes with it (invariant 1). What else it gets depends on {@link #kind()}:
 * <ul>
 *   <li>{@code cgroup-v2}: its own cgroup under the v2 hierarchy: {@code cpu.idle} (or the lowest
 *       {@code cpu.weight}), {@code memory.max}, {@code io.weight} 1, freeze by {@code cgroup.freeze},
 *       kill by {@code cgroup.kill}, CPU time from {@code cpu.stat}.</li>
 *   <li>{@code cgroup-v1}: one group in each of cpu, cpuacct, memory, freezer, blkio and pids:
 *       {@code cpu.idle} and {@code cpu.shares} 2, {@code memory.limit_in_bytes} (+ memsw),
 *       freeze by the freezer, CPU time from {@code cpuacct.usage}.</li>
 *   <li>{@code nice-only}: no cgroup (not root, or none writable): scheduling attributes only, no
 *       memory limit, no CPU cap, freeze by SIGSTOP to the tree. The tree is the job's session plus
 *       every descendant seen (sampled every 250 ms): a daemon that leaves the session and its
 *       parent between two samples escapes. CPU time is sampled from {@code /proc} at the same
 *       rate: a lower bound missing the last interval and CPU of orphans reaped by init.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe: jobs may be started from any thread.
 */
public interface Sandbox {

    /** {@code "cgroup-v2"}, {@code "cgroup-v1"} or {@code "nice-only"}. */
    String kind();

    /**
     * Empty when jobs are fully isolated; otherwise one sentence saying why and how they are
     * degraded, e.g. {@code "no writable cgroup: not root; jobs run with SCHED_IDLE + nice 19 only"}.
     */
    String note();

    /**
     * The walls built around each job here ({@code namespaces}, {@code pids.max}, {@code disk limit},
     * {@code network none}), each with how, or why it cannot be.
     */
    java.util.List<org.cyphon.core.protocol.WallView> walls();

    /**
     * How a job's {@link LaunchSpec#hiddenDevices() hidden device nodes} are kept from it here:
     * {@link DeviceWall#CGROUP} (denied by number in its v1 device cgroup, and covered in its mount
     * namespace), {@link DeviceWall#MOUNTS} (covered by path in its mount namespace only: cgroup v2),
     * or {@link DeviceWall#NONE} (neither: the job may open whatever the desk's permissions let it).
     */
    default DeviceWall deviceWall() {
        return DeviceWall.NONE;
    }

    /**
     * Starts the job and returns once its process is inside its cgroup(s) with its scheduling
     * attributes set, so {@link RunningJob#freeze()} and {@link RunningJob#kill()} cover every
     * process it will ever fork.
     *
     * @throws IOException with a message naming the cause when the job cannot be launched (unknown
     *     user, command not found, a cgroup that cannot be created or joined); nothing is left
     *     running and no cgroup is left behind
     */
    RunningJob start(LaunchSpec spec) throws IOException;

    /**
     * Kills every process in job groups that an earlier run of this agent left behind (it crashed
     * or was killed with its jobs still running) and removes those groups. Their attempts were
     * requeued by the coordinator when their leases expired, so the orphans only waste the owner's
     * machine. Call once at agent start, before any job starts.
     *
     * @return how many leftover groups were reaped (0 for nice-only, which has no groups to find)
     */
    int reapLeftovers();
}
