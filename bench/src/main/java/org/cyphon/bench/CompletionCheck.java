package org.cyphon.bench;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;

/**
 * After a run, asks the coordinator (not our own counters) whether every job we submitted ended
 * {@code completed}, with exit 0 and on its first attempt. A throughput figure from a run that
 * lost or repeated jobs is worthless, so every benchmark that runs jobs checks this.
 */
final class CompletionCheck {
    /** The largest listing the API serves (docs/api.md): runs are sized to fit in one. */
    static final int MAX_LISTING = 100_000;

    record Result(boolean ok, String summary, List<JobView> ours) {}

    private CompletionCheck() {}

    static Result check(ApiClient admin, Collection<Long> submitted) throws IOException, InterruptedException {
        List<JobView> all =
                admin.get("/jobs?limit=" + MAX_LISTING, JobList.class).jobs();
        Set<Long> expected = new HashSet<>(submitted);
        Map<String, Integer> byState = new TreeMap<>();
        List<JobView> ours = all.stream().filter(j -> expected.contains(j.id())).toList();
        int completed = 0, retried = 0, nonZero = 0;
        Map<Long, Integer> seen = new HashMap<>();
        for (JobView j : ours) {
            seen.merge(j.id(), 1, Integer::sum);
            byState.merge(j.state(), 1, Integer::sum);
            if ("completed".equals(j.state())) completed++;
            if (j.progress().attemptCount() > 1) retried++;
            if (j.result().exitCode() == null || j.result().exitCode() != 0) nonZero++;
        }
        long missing = (long) expected.size() - seen.size();
        long listedTwice = seen.values().stream().filter(n -> n > 1).count();
        boolean ok = completed == expected.size() && missing == 0 && listedTwice == 0 && nonZero == 0 && retried == 0;
        String summary = ok
                ? Figures.count(completed) + " of " + Figures.count(expected.size())
                        + " completed, each once, exit 0, first attempt"
                : "FAILED: of " + Figures.count(expected.size()) + " jobs: " + byState + ", " + missing + " missing, "
                        + listedTwice + " listed twice, " + retried + " took more than one attempt, " + nonZero
                        + " without exit 0";
        return new Result(ok, summary, ours);
    }
}
