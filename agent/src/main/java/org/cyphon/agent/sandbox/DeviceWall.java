package org.cyphon.agent.sandbox;

/** How a sandbox keeps device nodes from a job (see {@link Sandbox#deviceWall()}). */
public enum DeviceWall {
    /** A v1 device cgroup denies them by number; the mount namespace covers their paths too. */
    CGROUP,
    /** Only their paths are covered, in the job's mount namespace. */
    MOUNTS,
    /** Nothing keeps them from the job but the desk's own file permissions. */
    NONE
}
