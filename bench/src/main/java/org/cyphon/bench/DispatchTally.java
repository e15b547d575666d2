package org.cyphon.bench;

import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.cyphon.core.protocol.AttemptRef;
import org.cyphon.core.protocol.ReportResult;
import org.cyphon.core.protocol.WorkAssignment;

/**
 * What all simulated agents saw during a dispatch run, counted as it happens: the clock (first
 * assignment to the report that completed the last of the first {@code expected} jobs), every
 * assignment and acceptance (to catch a job handed out or completed twice), call latencies and
 * errors. Written by many virtual threads at once.
 */
final class DispatchTally {
    private final int expected;
    private final CountDownLatch allAccepted;
    private final AtomicLong firstAssignedAt = new AtomicLong();
    private final AtomicLong lastNeededAcceptedAt = new AtomicLong();

    private final Set<Long> assignedJobs = ConcurrentHashMap.newKeySet();
    private final Set<Long> acceptedJobs = ConcurrentHashMap.newKeySet();
    private final AtomicLong assignments = new AtomicLong();
    private final AtomicLong reassigned = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong acceptedTwice = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Queue<Long> stoppedJobs = new ConcurrentLinkedQueue<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final ConcurrentHashMap<Long, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CompletableFuture<Long>> acceptances = new ConcurrentHashMap<>();

    final LatencySamples workPollWithWork = new LatencySamples();
    final LatencySamples reportCall = new LatencySamples();
    private final AtomicReference<LatencySamples> heartbeats = new AtomicReference<>(new LatencySamples());

    DispatchTally(int expected) {
        this.expected = expected;
        this.allAccepted = new CountDownLatch(expected);
    }

    void assigned(List<WorkAssignment> work, long atNanos) {
        firstAssignedAt.compareAndSet(0, atNanos);
        assignments.addAndGet(work.size());
        for (WorkAssignment w : work) {
            if (!assignedJobs.add(w.jobId())) reassigned.incrementAndGet();
            arrival(w.jobId()).complete(atNanos);
        }
    }

    void reported(List<ReportResult> results, long atNanos) {
        for (ReportResult r : results) {
            if (!r.accepted()) {
                refused.incrementAndGet();
                error("report for job " + r.jobId() + " attempt " + r.attempt() + " refused: " + r.reason());
                continue;
            }
            accepted.incrementAndGet();
            if (!acceptedJobs.add(r.jobId())) {
                acceptedTwice.incrementAndGet();
                continue;
            }
            acceptance(r.jobId()).complete(atNanos);
            allAccepted.countDown();
            // The report that completes the last needed job ends the throughput clock.
            if (allAccepted.getCount() == 0) lastNeededAcceptedAt.compareAndSet(0, atNanos);
        }
    }

    /**
     * The coordinator asked an agent to stop attempts it listed in a heartbeat. Expected when the
     * heartbeat was built before, and arrived after, the report of that attempt (the real agent has
     * the same race: its beat and work loops run apart). Judged at the end of the run, because the
     * heartbeat's reply may overtake the reply to the report that made it stale.
     */
    void stopRequested(List<AttemptRef> stops) {
        for (AttemptRef s : stops) stoppedJobs.add(s.jobId());
    }

    /** Agents whose first heartbeat has been answered. */
    private final java.util.concurrent.atomic.AtomicInteger beaten = new java.util.concurrent.atomic.AtomicInteger();

    /** An agent's first heartbeat was answered. */
    void firstBeat() {
        beaten.incrementAndGet();
    }

    int agentsBeaten() {
        return beaten.get();
    }

    /** One heartbeat call's duration, into the current phase's samples. */
    void heartbeat(long nanos) {
        heartbeats.get().add(nanos);
    }

    /** The heartbeat calls of the current phase. */
    LatencySamples heartbeatCalls() {
        return heartbeats.get();
    }

    /** Starts a new phase of heartbeat samples; returns the one that ends (bench/run scale times phases apart). */
    LatencySamples newHeartbeatPhase() {
        return heartbeats.getAndSet(new LatencySamples());
    }

    void error(String what) {
        long n = errors.incrementAndGet();
        firstError.compareAndSet(null, what);
        // The first few on stderr with the time, so a burst can be laid beside the run's progress lines.
        if (n <= ERRORS_SHOWN) System.err.println("error " + n + " at " + java.time.Instant.now() + ": " + what);
    }

    private static final int ERRORS_SHOWN = 20;

    /** Completed with the nanoTime at which some agent received the job: for the latency probes. */
    CompletableFuture<Long> arrival(long jobId) {
        return arrivals.computeIfAbsent(jobId, id -> new CompletableFuture<>());
    }

    /** Completed with the nanoTime at which the job's report was accepted. */
    CompletableFuture<Long> acceptance(long jobId) {
        return acceptances.computeIfAbsent(jobId, id -> new CompletableFuture<>());
    }

    boolean awaitAllAccepted(long timeout, TimeUnit unit) throws InterruptedException {
        return allAccepted.await(timeout, unit);
    }

    int expected() {
        return expected;
    }

    long remaining() {
        return allAccepted.getCount();
    }

    /** First assignment to the acceptance of the last needed report; 0 if the run did not finish. */
    long elapsedNanos() {
        long end = lastNeededAcceptedAt.get();
        return end == 0 ? 0 : end - firstAssignedAt.get();
    }

    long assignments() {
        return assignments.get();
    }

    long reassigned() {
        return reassigned.get();
    }

    long accepted() {
        return accepted.get();
    }

    long acceptedTwice() {
        return acceptedTwice.get();
    }

    long refused() {
        return refused.get();
    }

    /** Stop requests for attempts whose report was (eventually) accepted: the benign race. */
    long stopsAfterReport() {
        return stoppedJobs.stream().filter(acceptedJobs::contains).count();
    }

    /** Stop requests for jobs never reported completed: the coordinator took work away. */
    long stopsUnexpected() {
        return stoppedJobs.size() - stopsAfterReport();
    }

    long errors() {
        return errors.get();
    }

    String firstError() {
        return firstError.get();
    }
}
