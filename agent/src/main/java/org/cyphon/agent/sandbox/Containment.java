package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What holds one job's process tree together so it can be frozen, measured and killed as one:
 * a cgroup (v1 or v2) or, without cgroups, the job's session plus every descendant seen.
 * Callers serialise calls; {@link #sample()} may run concurrently with reads of {@link #cpuSeconds()}.
 */
interface Containment {

    /** {@code cgroup.procs} files the launch wrapper writes its own pid into before exec'ing the job. */
    List<Path> joinFiles();

    /** The main process is running inside; from here on the containment may track it. */
    void started(ProcessHandle main);

    /** Called periodically while the main process lives; a cgroup needs nothing, nice-only tracks the tree. */
    void sample();

    /**
     * Whether {@link #sample()} must be called while the job runs. A cgroup holds the tree by
     * itself, so its job's watcher sleeps until the main process ends instead of waking four times
     * a second beside the owner for nothing.
     */
    default boolean needsSampling() {
        return false;
    }

    void freeze() throws IOException;

    void thaw() throws IOException;

    /**
     * Holds the job to {@code limits} while it lingers, or lifts them (null) when it runs alone
     * again. Best effort per file: a kernel without a controller or a device that refuses a
     * throttle leaves that part off, and {@link #lingerNote()} says so.
     */
    void linger(LingerLimits limits) throws IOException;

    /** Empty, or what {@link #linger} could not apply here (for log lines). */
    default String lingerNote() {
        return "";
    }

    /** SIGKILLs every process inside and returns when none is left; returns how many it killed. */
    int killAll() throws IOException;

    double cpuSeconds();

    /** Processes of this job the kernel OOM killer has killed; 0 where it cannot tell. */
    long oomKills();

    /** Removes the cgroup directories; the containment is empty (see {@link #killAll()}). */
    void remove() throws IOException;

    /** Where the job is held, for log lines: a cgroup path or "session 1234". */
    String describe();
}
