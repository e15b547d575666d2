package org.cyphon.core.job;

/** Everything that can happen to a job; {@link JobTransitions} says what each does to its state. */
public enum JobEvent {
    /** The scheduler gave the job to a machine as a new attempt. */
    ASSIGN,
    /** The agent froze the attempt because the owner needs the machine. */
    SUSPEND,
    /** The agent thawed the attempt. */
    RESUME,
    /** The attempt's process exited (any exit code). */
    EXITED,
    /** The attempt could not run (could not start, sandbox failure) or its lease expired. */
    ATTEMPT_LOST,
    /** The attempt left the machine on purpose (owner back, checkpointed) and should run again. */
    VACATED,
    /** A user or admin cancelled the job. */
    CANCEL,
    /** A user or admin held the job; a running attempt is stopped. */
    HOLD,
    /** A held job may be scheduled again. */
    RELEASE,
    /** A held job was released while jobs it runs after have not all ended: it waits for them again. */
    RELEASE_TO_WAIT,
    /** Every job a waiting job runs after has ended as it required: it joins the queue. */
    DEPENDENCIES_MET,
    /** A job a waiting job runs after ended in a way it required not to (failed, non-zero exit): held. */
    DEPENDENCY_FAILED
}
