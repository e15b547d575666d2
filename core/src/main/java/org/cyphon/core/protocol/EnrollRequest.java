package org.cyphon.core.protocol;

/**
 * An agent joining the pool ({@code POST /api/v1/agents/enroll}, bearer = enrollment token).
 * A name already enrolled is refused (409): an admin must {@code cyphon machine NAME --forget} it first.
 *
 * @param criu  as in {@link Heartbeat#criu()}
 * @param owner the user whose desk this is ({@code owner} in {@code agent.toml}); null keeps what
 *              the coordinator knows (an admin may set it instead)
 * @param zone  the desk's time zone (an IANA id such as {@code Europe/Berlin}): its track record's
 *              hours of the week are local hours; null: the coordinator's zone
 * @param measured what the agent measured of the machine, whatever its config says; null from older
 *              agents (then {@code cyphon machines} flags the desk: nothing to check its claims against)
 * @param maxJobs  as in {@link Heartbeat#maxJobs()}, so that placement keeps to it from the first pass
 *                 after the desk joins, before its first heartbeat; null from older agents
 */
public record EnrollRequest(
        String name,
        double cpus,
        long memoryBytes,
        String sandbox,
        String sandboxNote,
        String version,
        String criu,
        String owner,
        String zone,
        MeasuredResources measured,
        Integer maxJobs) {

    /** An enrollment that says nothing of job slots (agents before issue 12's walls). */
    public EnrollRequest(
            String name,
            double cpus,
            long memoryBytes,
            String sandbox,
            String sandboxNote,
            String version,
            String criu,
            String owner,
            String zone,
            MeasuredResources measured) {
        this(name, cpus, memoryBytes, sandbox, sandboxNote, version, criu, owner, zone, measured, null);
    }

    /** An enrollment that sends no measurement (agents before issue 11). */
    public EnrollRequest(
            String name,
            double cpus,
            long memoryBytes,
            String sandbox,
            String sandboxNote,
            String version,
            String criu,
            String owner,
            String zone) {
        this(name, cpus, memoryBytes, sandbox, sandboxNote, version, criu, owner, zone, null, null);
    }

    /** An enrollment that names no owner and no zone. */
    public EnrollRequest(
            String name,
            double cpus,
            long memoryBytes,
            String sandbox,
            String sandboxNote,
            String version,
            String criu) {
        this(name, cpus, memoryBytes, sandbox, sandboxNote, version, criu, null, null, null, null);
    }

    /** An enrollment that says nothing about CRIU (what agents before checkpoints sent). */
    public EnrollRequest(
            String name, double cpus, long memoryBytes, String sandbox, String sandboxNote, String version) {
        this(name, cpus, memoryBytes, sandbox, sandboxNote, version, null);
    }
}
