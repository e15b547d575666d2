package org.cyphon.agent.desk;

/** Where a desk VM is, as the owner and an administrator would say it. */
public enum DeskVmState {
    /** No VM process and no saved state: powered off. */
    STOPPED,
    /** The guest runs. */
    RUNNING,
    /** The VM process is there, its vCPUs stopped (pause, or a save in progress). */
    PAUSED,
    /** No VM process; the guest's memory and devices are on disk, waiting for restore. */
    SAVED,
    /** The VM process is there but the guest is dead (a crash QEMU noticed, an I/O or internal error). */
    FAILED,
    /** A saved state is being loaded into a new VM process. */
    RESTORING;

    /** The same state in core's words, for its rules. */
    public org.cyphon.core.desk.VmState toCore() {
        return org.cyphon.core.desk.VmState.valueOf(name());
    }

    /** The state for QEMU's run state ({@code query-status}'s {@code status}). */
    static DeskVmState ofQemuStatus(String status) {
        return switch (status) {
            case "running" -> RUNNING;
            case "inmigrate", "restore-vm" -> RESTORING;
            case "guest-panicked", "internal-error", "io-error", "shutdown", "watchdog" -> FAILED;
            default -> PAUSED; // paused, prelaunch, postmigrate, finish-migrate, save-vm, suspended, debug, colo
        };
    }
}
