package org.cyphon.core.policy;

/** What running work does while the owner is present but not contending ({@code when_present}). */
public enum WhenPresent {
    /** Keep running at idle priority with capped memory and I/O (Linger-Longer). */
    LINGER,
    /** Freeze at once (HTCondor's and "strict"'s answer). */
    FREEZE,
    /** Carry on as if nobody were there (BOINC's default, "dedicated"). */
    RUN
}
