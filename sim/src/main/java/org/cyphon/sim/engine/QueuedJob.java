package org.cyphon.sim.engine;

/**
 * A job in one policy's run: its trace facts and what happened to it so far. {@code seq} is its
 * submission order, which is the id placement sees (lower id = submitted earlier).
 */
final class QueuedJob {
    final long seq;
    final long traceId;
    final long submitMs;
    final double runtimeS;
    final int cpus;
    final double requestedS;
    final String user;
    final String name;
    final boolean checkpointable;

    /** Work saved in a checkpoint (seconds of run time): a new attempt starts from here. */
    double savedS;

    long firstStartMs = -1;
    long endMs = -1;
    int attempts;

    QueuedJob(
            long seq,
            long traceId,
            long submitMs,
            double runtimeS,
            int cpus,
            double requestedS,
            String user,
            String name,
            boolean checkpointable) {
        this.seq = seq;
        this.traceId = traceId;
        this.submitMs = submitMs;
        this.runtimeS = runtimeS;
        this.cpus = cpus;
        this.requestedS = requestedS;
        this.user = user;
        this.name = name;
        this.checkpointable = checkpointable;
    }
}
