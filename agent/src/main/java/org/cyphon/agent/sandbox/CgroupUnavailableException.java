package org.cyphon.agent.sandbox;

/** A cgroup hierarchy cannot be used by this agent; the message says why, for the detection log line. */
final class CgroupUnavailableException extends Exception {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    CgroupUnavailableException(String reason) {
        super(reason);
    }
}
