package org.cyphon.agent.sandbox;

import java.util.concurrent.CompletableFuture;

/**
 * One started job: its whole process tree, however deep it forks or however it detaches.
 *
 * <p>Thread-safe. After the tree is gone every control method is a harmless no-op.
 */
public interface RunningJob {

    /** Pid of the job's main process (the command itself: the launch wrapper exec'd into it). */
    long pid();

    /**
     * Completes once the main process has exited <em>and</em> every process left in the job's tree
     * has been killed and its cgroup removed: a daemonised grandchild never outlives its job.
     * Never completes exceptionally.
     */
    CompletableFuture<JobExit> exit();

    /**
     * Stops every process of the job at once and returns when they are stopped (v2
     * {@code cgroup.freeze}, v1 freezer; nice-only: SIGSTOP to the tree).
     *
     * @throws java.io.UncheckedIOException when the cgroup cannot be frozen
     */
    void freeze();

    /** Undoes {@link #freeze()}; a no-op on a job that is not frozen. */
    void thaw();

    /**
     * Applies the linger limits (memory reclaimed first above a level, I/O throttled) while the
     * owner is present, or lifts them (null). Never throws: a limit the kernel refuses is logged
     * and the job lingers without it.
     */
    void linger(LingerLimits limits);

    /**
     * Kills the whole tree with SIGKILL, frozen or not, including children that ignore SIGTERM or
     * have left the job's session; returns when none is left. Idempotent, never throws; afterwards
     * {@link #exit()} completes with signal 9.
     */
    void kill();

    /** CPU time used so far by the whole tree, in seconds (see {@link Sandbox} for accuracy per kind). */
    double cpuSecondsSoFar();

    /** What its work directory held when last measured against its disk limit (every 2 s), in bytes. */
    long diskBytesUsed();
}
