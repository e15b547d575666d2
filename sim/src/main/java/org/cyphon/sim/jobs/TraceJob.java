package org.cyphon.sim.jobs;

/**
 * One job of a workload trace, rescaled to the pool.
 *
 * @param submitMs   when it is submitted, milliseconds from the simulation's origin
 * @param runtimeS   how long it runs on a desk with nobody else there (its work), seconds
 * @param cpus       the CPUs it holds (the trace's processors, capped to a desk's cores)
 * @param requestedS the submitter's runtime estimate in seconds, or -1 when the trace has none
 * @param user       the submitter (fair share is between users)
 * @param name       what runtimes are learned under with the user (the trace's executable id), or null
 */
public record TraceJob(long id, long submitMs, double runtimeS, int cpus, double requestedS, String user, String name) {
    /** Its CPU demand: CPUs times run time. */
    public double cpuSeconds() {
        return cpus * runtimeS;
    }
}
