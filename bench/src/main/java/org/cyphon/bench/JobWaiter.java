package org.cyphon.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;

/**
 * Waits until submitted jobs have all ended, polling cheaply: first only the last job (placement
 * takes the oldest first, so it is among the last to start), then the listing of jobs still
 * queued or running, which by then is short. Polling the whole listing from the start would make
 * the coordinator serialise thousands of jobs ten times a second, on the same two cores the
 * measured work needs.
 */
final class JobWaiter {
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");
    private static final long POLL_MILLIS = 100;

    private JobWaiter() {}

    private static boolean ended(JobView j) throws IOException {
        // Set.of(...).contains(null) would throw a bare NullPointerException; say what is wrong instead.
        if (j.state() == null) throw new IOException("GET /jobs/" + j.id() + " returned a job without a state");
        return TERMINAL.contains(j.state());
    }

    /** @return false if {@code timeout} passed first */
    static boolean awaitAllEnded(ApiClient admin, List<Long> ids, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = ids.get(ids.size() - 1);
        while (!ended(admin.get("/jobs/" + last, JobView.class))) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(POLL_MILLIS);
        }
        Set<Long> ours = Set.copyOf(ids);
        while (true) {
            List<JobView> active = admin.get(
                            "/jobs?state=queued,running,suspended&limit=" + CompletionCheck.MAX_LISTING, JobList.class)
                    .jobs();
            if (active.stream().noneMatch(j -> ours.contains(j.id()))) return true;
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(POLL_MILLIS);
        }
    }
}
