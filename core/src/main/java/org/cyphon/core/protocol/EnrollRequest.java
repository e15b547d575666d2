package org.cyphon.core.protocol;

/**
 * An agent joining the pool ({@code POST /api/v1/agents/enroll}, bearer = enrollment token).
 * Enrolling again under the same name takes over that machine (e.g. after a reinstall).
 *
 * @param criu as in {@link Heartbeat#criu()}
 */
public record EnrollRequest(String name, double cpus, long memoryBytes, String sandbox, String sandboxNote, String version, String criu) {

    /** An enrollment that says nothing about CRIU (what agents before checkpoints sent). */
    public EnrollRequest(String name, double cpus, long memoryBytes, String sandbox, String sandboxNote, String version) {
        this(name, cpus, memoryBytes, sandbox, sandboxNote, version, null);
    }
}
