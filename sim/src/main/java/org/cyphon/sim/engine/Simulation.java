package org.cyphon.sim.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cyphon.core.policy.PolicyPresets;
import org.cyphon.sim.InputError;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.owners.DeskTrace;
import org.cyphon.sim.owners.OwnerTrace;

/**
 * Runs each policy over the same traces. Runs are independent (each has its own desks, queue and
 * profiles), so they go in parallel on {@code threads} threads; results come back in the order
 * the policies were given, and nothing in a run depends on timing: the same inputs give the same
 * figures.
 */
public final class Simulation {
    private Simulation() {}

    public static SimResult run(OwnerTrace owners, JobTrace jobs, SimConfig cfg) {
        return run(owners, jobs, cfg, SimProgress.NONE);
    }

    /** As {@link #run(OwnerTrace, JobTrace, SimConfig)}, telling {@code progress} how far each policy got. */
    public static SimResult run(OwnerTrace owners, JobTrace jobs, SimConfig cfg, SimProgress progress) {
        for (String p : cfg.policies()) {
            if (!PolicyPresets.names().contains(p)) {
                throw new InputError("--policy: unknown preset '" + p + "' (known: "
                        + String.join(", ", PolicyPresets.names()) + ")");
            }
        }
        if (owners.desks().isEmpty()) throw new InputError("the owner source has no desks");
        if (jobs.jobs().isEmpty() && !cfg.saturate()) throw new InputError("no jobs: give --jobs FILE or --saturate");
        List<PolicyResult> results = new ArrayList<>();
        int threads = Math.max(1, Math.min(cfg.threads(), cfg.policies().size()));
        if (threads == 1) {
            for (String p : cfg.policies()) results.add(new PolicyRun(owners, jobs, cfg, p, progress).run());
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(
                    threads, Thread.ofPlatform().daemon().name("sim-", 0).factory());
            try {
                List<Future<PolicyResult>> futures = new ArrayList<>();
                for (String p : cfg.policies())
                    futures.add(pool.submit(() -> new PolicyRun(owners, jobs, cfg, p, progress).run()));
                for (Future<PolicyResult> f : futures) results.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("simulation interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return new SimResult(
                owners.source(),
                owners.presenceRule(),
                jobs.source(),
                owners.origin(),
                owners.horizonMs(),
                owners.desks().size(),
                jobs.jobs().size(),
                jobs.skipped(),
                jobs.cappedCpus(),
                cfg,
                results,
                owners.desks().stream()
                        .limit(Math.min(cfg.heatmapDesks(), owners.desks().size()))
                        .map(DeskTrace::name)
                        .toList());
    }
}
