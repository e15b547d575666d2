package org.cyphon.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.cyphon.coordinator.store.Transactions;

/**
 * The coordinator's Prometheus metrics ({@code GET /metrics}, no auth: counts only, no secrets).
 *
 * <ul>
 *   <li>{@code cyphon_jobs_submitted_total}, {@code cyphon_jobs_completed_total}, {@code cyphon_jobs_failed_total}</li>
 *   <li>{@code cyphon_attempts_assigned_total}, {@code cyphon_attempts_lost_total}</li>
 *   <li>{@code cyphon_queue_length} (jobs queued, as the scheduler sees them)</li>
 *   <li>{@code cyphon_assignment_latency_seconds} (from queued to assigned)</li>
 *   <li>{@code cyphon_heartbeat_seconds{path="read"|"write"}} (from a beat's handler starting to its
 *       reply, its wait in the heartbeats' line and the commit included; buckets at 10 ms, 50 ms, 100 ms, 500 ms, 1 s, 5 s): "read" beats were
 *       answered from the store as it stood, "write" beats waited for its writer (a lease renewal, a
 *       change)</li>
 *   <li>{@code cyphon_long_polls_waiting} (agents' polls for work waiting for some: idle, connected agents)</li>
 *   <li>{@code cyphon_coordinator_leader{coordinator="host:port"}} (1 while this coordinator leads the pool, else 0)
 *       and {@code cyphon_coordinator_leader_epoch} (the epoch it leads in; 0 when it does not)</li>
 *   <li>{@code cyphon_store_writer_busy_seconds_total}, {@code cyphon_store_commits_total},
 *       {@code cyphon_store_writes_total}: the store's single writer (every write of this coordinator
 *       goes through it, group-committed): busy nearly all the time means it limits dispatch</li>
 * </ul>
 */
public final class CoordinatorMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter submitted = Counter.builder("cyphon.jobs.submitted")
            .description("jobs accepted by POST /jobs")
            .register(registry);
    private final Counter completed = Counter.builder("cyphon.jobs.completed")
            .description("jobs whose process exited")
            .register(registry);
    private final Counter failed = Counter.builder("cyphon.jobs.failed")
            .description("jobs that used up their attempts")
            .register(registry);
    private final Counter assigned = Counter.builder("cyphon.attempts.assigned")
            .description("attempts started")
            .register(registry);
    private final Counter lost = Counter.builder("cyphon.attempts.lost")
            .description("attempts lost (lease ran out, could not start)")
            .register(registry);
    private final Timer latency = Timer.builder("cyphon.assignment.latency")
            .description("time from queued to assigned")
            .register(registry);
    /**
     * A beat renews its desk's leases: one slow to be answered is a desk about to lose its jobs.
     * Counted in a few buckets (le 10 ms ... 5 s) so an admin's Prometheus, or bench/run scale,
     * can tell the share answered within 50 ms over any stretch of time.
     */
    private final Timer heartbeatRead = heartbeatTimer("read");

    private final Timer heartbeatWrite = heartbeatTimer("write");

    /** @param path "read": answered from what the store holds; "write": waited for the store's writer */
    private Timer heartbeatTimer(String path) {
        return Timer.builder("cyphon.heartbeat")
                .description("time from a heartbeat's handler starting to its reply being ready (commit included)")
                .tag("path", path)
                .serviceLevelObjectives(
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .register(registry);
    }

    public void queueLength(IntSupplier queueLength) {
        Gauge.builder("cyphon.queue.length", queueLength::getAsInt)
                .description("jobs waiting for a machine")
                .register(registry);
    }

    public void longPollsWaiting(IntSupplier waiting) {
        Gauge.builder("cyphon.long.polls.waiting", waiting::getAsInt)
                .description("agents' polls for work that wait for some")
                .register(registry);
    }

    /** Whether this coordinator leads, and in which epoch (0: it does not). */
    public void leader(String coordinator, java.util.function.LongSupplier epoch) {
        Gauge.builder("cyphon.coordinator.leader", () -> epoch.getAsLong() == 0 ? 0 : 1)
                .description("1 while this coordinator runs the scheduler and the lease keeper")
                .tag("coordinator", coordinator)
                .register(registry);
        Gauge.builder("cyphon.coordinator.leader.epoch", epoch::getAsLong)
                .description("the leader lease's epoch this coordinator leads in; 0 when it does not lead")
                .tag("coordinator", coordinator)
                .register(registry);
    }

    /**
     * The store's single writer: time spent writing, commits, and the writes those held. (Micrometer
     * holds the object a function counter reads only weakly: the store's own {@code Transactions},
     * which lives as long as the coordinator, not a lambda nobody else references.)
     */
    public void storeWriter(Transactions load) {
        FunctionCounter.builder(
                        "cyphon.store.writer.busy", load, l -> l.writerLoad().busySeconds())
                .description("time the store's single writer spent running and committing writes")
                .baseUnit("seconds")
                .register(registry);
        FunctionCounter.builder(
                        "cyphon.store.commits", load, l -> l.writerLoad().commits())
                .description("commits of the store's single writer (each holds one or more writes)")
                .register(registry);
        FunctionCounter.builder("cyphon.store.writes", load, l -> l.writerLoad().writes())
                .description("writes committed by the store's single writer")
                .register(registry);
    }

    public void submitted(int n) {
        submitted.increment(n);
    }

    public void completed() {
        completed.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void lost() {
        lost.increment();
    }

    public void assigned(Duration waited) {
        assigned.increment();
        latency.record(waited.isNegative() ? Duration.ZERO : waited);
    }

    /** @param wrote whether the beat waited for a write (else it was answered from a read) */
    public void heartbeat(long nanos, boolean wrote) {
        (wrote ? heartbeatWrite : heartbeatRead).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
