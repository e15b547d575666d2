package org.cyphon.core.job;

/**
 * Where a job is in its life. COMPLETED means the job's process ran and exited, whatever its exit
 * code (like condor's "Completed"); FAILED means Cyphon could not run it to an exit (attempts
 * exhausted, could not start). Terminal states never change again. WAITING: submitted with
 * dependencies ({@code --after}) that have not all ended yet; the scheduler never sees it.
 */
public enum JobState {
    WAITING,
    QUEUED,
    RUNNING,
    SUSPENDED,
    COMPLETED,
    FAILED,
    CANCELLED,
    HELD;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** True while an attempt of the job may be alive on a machine. */
    public boolean hasLiveAttempt() {
        return this == RUNNING || this == SUSPENDED;
    }

    /** Lower-case name used on the wire and in the CLI. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static JobState fromWire(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown job state '" + s
                    + "' (one of waiting, queued, running, suspended, completed, failed, cancelled, held)");
        }
    }
}
