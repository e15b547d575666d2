package org.cyphon.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cyphon.agent.sandbox.RunningJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every attempt on the desk away within a bound, as the agent must before the desk goes down
 * (logind's delay lock, or the SIGTERM of a stop or a plain reboot): no new work is taken; each
 * checkpointable job is asked to checkpoint now and its checkpoint stored; a job that cannot
 * checkpoint is killed at once; each is reported vacated, so the coordinator requeues it at once
 * (from its checkpoint, no attempt used) instead of waiting for its lease to expire. Meanwhile the
 * desk VM, when asked, is saved to disk.
 *
 * <p>The bound is split: jobs must have answered their checkpoint signal within the first two
 * thirds ({@link #ANSWER_SHARE}), and are killed then; the rest is for the uploads and the reports.
 */
final class BoundedVacate {
    private static final Logger log = LoggerFactory.getLogger(BoundedVacate.class);
    /** The share of the bound a job has to write its checkpoint; the rest carries it to the coordinator. */
    static final double ANSWER_SHARE = 2.0 / 3.0;

    /** What one vacate did, and how long it took against its bound. */
    record Outcome(int attempts, int unreported, Duration took, Duration bound, String vm) {
        boolean inTime() {
            return took.compareTo(bound) <= 0;
        }
    }

    private final String machine;
    private final HeldAttempts attempts;
    private final OwnerFirst ownerFirst;
    private final Heartbeats beats;
    /** The desk VM, or null. */
    private final OwnersVm vm;

    private final ExecutorService threads;
    private final Clock clock;

    BoundedVacate(
            String machine,
            HeldAttempts attempts,
            OwnerFirst ownerFirst,
            Heartbeats beats,
            OwnersVm vm,
            ExecutorService threads,
            Clock clock) {
        this.machine = machine;
        this.attempts = attempts;
        this.ownerFirst = ownerFirst;
        this.beats = beats;
        this.vm = vm;
        this.threads = threads;
        this.clock = clock;
    }

    /**
     * Vacates everything for {@code why} within {@code bound}; the caller has already made the agent
     * take no new work ({@link Shutdown}).
     *
     * @param saveVm also save the desk VM to disk (the desk is powering off or going to sleep)
     */
    Outcome run(String why, Duration bound, boolean saveVm) throws InterruptedException {
        long began = System.nanoTime();
        Instant now = clock.instant();
        Instant answerBy = now.plusMillis((long) (bound.toMillis() * ANSWER_SHARE));
        int count = attempts.size();
        log.info("agent {}: {}: vacating {} attempt(s) within {} s", machine, why, count, bound.toSeconds());
        CompletableFuture<String> vmSaved = saveVm && vm != null
                ? CompletableFuture.supplyAsync(vm::saveForPowerOff, threads)
                : CompletableFuture.completedFuture(vm == null ? "no desk VM" : "left running");
        // "No new work" at once, so nothing vacated below is handed straight back to us (and what is,
        // the work loop hands back again); on its own thread, so a coordinator that does not answer
        // costs the jobs none of their time.
        CompletableFuture<Void> announced = CompletableFuture.runAsync(
                () -> {
                    try {
                        beats.beat();
                    } catch (Exception e) {
                        log.warn("agent {}: could not announce that it takes no work ({})", machine, e.getMessage());
                    }
                },
                threads);
        for (LocalAttempt a : attempts.all()) ownerFirst.vacate(a, why, answerBy);
        beats.soon();
        if (!attempts.awaitNone(left(began, Duration.between(now, answerBy)))) killStragglers(why);
        attempts.awaitNone(left(began, bound));
        try {
            announced.get(left(began, bound).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // said above, or the coordinator did not answer in time: the leases tell it
        }
        String vmOutcome;
        try {
            vmOutcome = vmSaved.get(left(began, bound).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            vmOutcome = "still saving when the time was up";
        } catch (ExecutionException e) {
            vmOutcome = "not saved: " + e.getCause();
        }
        Outcome o = new Outcome(count, attempts.size(), Duration.ofNanos(System.nanoTime() - began), bound, vmOutcome);
        log.info(
                "agent {}: {}: {} attempt(s) vacated, {} not reported; desk VM {}; took {} ms of the {} s allowed",
                machine,
                why,
                o.attempts() - o.unreported(),
                o.unreported(),
                o.vm(),
                o.took().toMillis(),
                bound.toSeconds());
        return o;
    }

    /**
     * Jobs still running when their time to answer is up: killed, so they are reported (vacated)
     * before the bound. One that started after the announcement (it was launching) is sent away now,
     * with no time left to answer.
     */
    private void killStragglers(String why) {
        for (LocalAttempt a : attempts.all()) {
            RunningJob job = a.job();
            if (job == null || job.exit().isDone()) continue;
            if (a.phase() instanceof LocalAttempt.Running) {
                ownerFirst.vacate(a, why, clock.instant());
                continue;
            }
            // Marked as asked first, so its end is reported as the vacate's; a stop under way kills it itself.
            if (!a.asking()) continue;
            log.info("job {} attempt {}: no checkpoint in time ({}): killed", a.work.jobId(), a.work.attempt(), why);
            threads.execute(job::kill);
        }
    }

    private static Duration left(long began, Duration of) {
        Duration left = of.minusNanos(System.nanoTime() - began);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
