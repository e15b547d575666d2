package org.cyphon.core.desk;

/**
 * Where the desk VM is now, as its agent reads it from the hypervisor: the input of the desk's
 * rule ({@link DeskRule}) and of the memory it holds ({@link VmMemory}).
 */
public enum VmState {
    /** Powered off: no VM process and no saved state. */
    STOPPED,
    RUNNING,
    /** The VM process is there, its vCPUs stopped. */
    PAUSED,
    /** No VM process; its memory and devices are on disk. */
    SAVED,
    /** The guest or its VM process died (a crash, a kill): left as it is for an administrator. */
    FAILED,
    /** A saved state is being loaded. */
    RESTORING,
    /** The agent could not read it. */
    UNKNOWN
}
