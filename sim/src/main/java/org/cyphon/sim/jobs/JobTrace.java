package org.cyphon.sim.jobs;

import java.util.List;

/** The jobs to replay, in submission order, and what reading them dropped. */
public record JobTrace(List<TraceJob> jobs, String source, long skipped, long cappedCpus) {
    public JobTrace {
        jobs = List.copyOf(jobs);
    }

    public static JobTrace none() {
        return new JobTrace(List.of(), "none", 0, 0);
    }
}
