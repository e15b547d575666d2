package org.cyphon.coordinator.auth;

/** What a token lets its holder do; see the table in {@code docs/api.md}. */
public enum Role {
    /** Everything. */
    ADMIN,
    /** Submit; read anything; cancel, hold and release own jobs. */
    USER,
    /** Only {@code POST /agents/enroll}. */
    ENROLL,
    /** Only {@code /agents/MACHINE/...} for its own machine. */
    AGENT
}
