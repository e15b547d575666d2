package org.cyphon.core.policy;

/** Where one attempt is on the desk, as the agent last set it. */
public enum AttemptState {
    RUNNING,
    LINGERING,
    FROZEN,
    /** Told to checkpoint and leave; waiting for it to exit within the grace period. */
    VACATING;

    /** The CEL name ({@code job_state}). */
    public String celName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
