package org.cyphon.core.owner;

/** What a desk's owner was doing over an interval, as the track record learns it. */
public enum OwnerState {
    /** Someone uses the desk (input, a session, owner load). */
    PRESENT,
    /** Powered on, nobody using it: the slack Cyphon harvests. */
    AWAY,
    /** Powered off or unreachable: nothing is learned about presence, and nothing can run. */
    OFF
}
