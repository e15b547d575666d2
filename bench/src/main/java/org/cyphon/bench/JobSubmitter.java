package org.cyphon.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cyphon.core.job.JobSpecs;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.SubmitReply;

/**
 * Submits many identical jobs with {@code POST /jobs}, in as few requests as the API allows
 * ({@code count} is capped at {@link JobSpecs#MAX_COUNT} per submission).
 */
final class JobSubmitter {
    /** What to run: e.g. {@code ["true"]} with 1 cpu and the default memory. */
    record Template(String name, List<String> command, double cpus, String memory) {
        JobSubmission times(int count) {
            return JobSubmission.builder()
                    .name(name)
                    .command(command)
                    .cpus(cpus)
                    .memory(memory)
                    .env(Map.of())
                    .count(count)
                    .build();
        }
    }

    /** The ids and how long the submission took, for the "submit" row of the result table. */
    record Submitted(List<Long> ids, int requests, long nanos) {}

    private JobSubmitter() {}

    static Submitted submit(ApiClient admin, Template template, int jobs) throws IOException, InterruptedException {
        List<Long> ids = new ArrayList<>(jobs);
        int requests = 0;
        long start = System.nanoTime();
        while (ids.size() < jobs) {
            int n = Math.min(JobSpecs.MAX_COUNT, jobs - ids.size());
            SubmitReply r = admin.post("/jobs", template.times(n), SubmitReply.class);
            if (r.ids().size() != n)
                throw new IOException("asked for " + n + " jobs, the coordinator replied with "
                        + r.ids().size() + " ids");
            ids.addAll(r.ids());
            requests++;
        }
        return new Submitted(ids, requests, System.nanoTime() - start);
    }
}
