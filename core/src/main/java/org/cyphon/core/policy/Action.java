package org.cyphon.core.policy;

/**
 * What the agent should do with one running attempt. Each action names the state the attempt
 * should be in, so applying the same action twice is harmless.
 */
public enum Action {
    /** Run normally (still at idle priority, as all job work is, but without the linger caps). */
    RUN,
    /** Keep running while the owner is present but not contending: idle priority plus {@link LingerCaps}. */
    LINGER,
    /** Freeze the attempt's processes (cgroup freezer); stays in memory, loses no work. */
    FREEZE,
    /** Thaw a frozen attempt; with {@link Decision#caps()} it resumes lingering, without it running. */
    THAW,
    /**
     * Ask the job to checkpoint and leave: thaw it if frozen, send the checkpoint signal and give it
     * the grace period ({@code vacate_grace}) to write its checkpoint and exit. The agent reports
     * the attempt as vacating from then on; the job is requeued from its checkpoint.
     */
    CHECKPOINT_AND_VACATE,
    /** The vacate grace period is over: kill what is left of the attempt. */
    KILL
}
