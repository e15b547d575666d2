package org.cyphon.sim.engine;

import java.util.List;
import java.util.SplittableRandom;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.TraceJob;

/** Jobs entering the queue: the job trace's submissions, or in saturating mode synthetic jobs. */
final class JobArrivals {
    private final RunState s;
    private int nextArrival;
    private long nextSeq;
    private long jobsLeftOut;

    JobArrivals(RunState s) {
        this.s = s;
    }

    /** Counts the jobs submitted after the owner trace ends and schedules the first arrival. */
    void start() {
        JobTrace trace = s.trace;
        for (TraceJob j : trace.jobs()) if (j.submitMs() >= s.horizonMs) jobsLeftOut++;
        if (!trace.jobs().isEmpty() && trace.jobs().getFirst().submitMs() < s.horizonMs) {
            s.events.push(trace.jobs().getFirst().submitMs(), EventQueue.ARRIVAL, 0, 0);
        }
    }

    long jobsLeftOut() {
        return jobsLeftOut;
    }

    /** Every job submitted by {@code t} joins the queue; the next submission is scheduled. */
    void arrive(long t) {
        List<TraceJob> jobs = s.trace.jobs();
        while (nextArrival < jobs.size() && jobs.get(nextArrival).submitMs() <= t) {
            TraceJob j = jobs.get(nextArrival++);
            s.pending.add(new QueuedJob(
                    nextSeq++,
                    j.id(),
                    j.submitMs(),
                    j.runtimeS(),
                    Math.min(j.cpus(), s.cfg.cores()),
                    j.requestedS(),
                    j.user(),
                    j.name(),
                    checkpointable(j.id())));
        }
        if (nextArrival < jobs.size() && jobs.get(nextArrival).submitMs() < s.horizonMs) {
            s.events.push(jobs.get(nextArrival).submitMs(), EventQueue.ARRIVAL, 0, 0);
        }
        s.requestPlacement(t);
    }

    /** Saturating mode: keep more synthetic jobs queued than there is free room. */
    void topUp(long t, int free) {
        while (s.pending.size() < free + 16) {
            long seq = nextSeq++;
            s.pending.add(new QueuedJob(
                    seq,
                    seq,
                    t,
                    s.cfg.saturateRuntime().toMillis() / 1000.0,
                    1,
                    s.cfg.saturateRuntime().toMillis() / 1000.0,
                    "saturate",
                    "saturate",
                    checkpointable(seq)));
        }
    }

    /** Whether a job can checkpoint: a fixed draw per job id from the seed, the same for every policy. */
    private boolean checkpointable(long id) {
        return new SplittableRandom(s.cfg.seed() * 0x9E3779B97F4A7C15L + id).nextDouble() < s.cfg.checkpointable();
    }
}
