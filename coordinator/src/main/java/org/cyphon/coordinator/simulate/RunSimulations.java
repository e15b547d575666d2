package org.cyphon.coordinator.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.core.policy.PolicyPresets;
import org.cyphon.sim.InputError;
import org.cyphon.sim.engine.SimConfig;
import org.cyphon.sim.engine.SimResult;
import org.cyphon.sim.engine.Simulation;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.SwfReader;
import org.cyphon.sim.owners.FtaFits;
import org.cyphon.sim.owners.OwnerSources;
import org.cyphon.sim.owners.OwnerTrace;

/**
 * The dashboard's Simulate page: {@code cyphon simulate} run by the coordinator over the traces an
 * admin put in {@code DATA/traces} (SWF job traces, PlanetLab CPU series) and the bundled owner
 * fits, comparing presets. One run at a time on a thread of its own, bounded in size so that a run
 * takes seconds to minutes, not hours (the CLI has no bounds); the last few HTML reports are kept
 * in memory for the page to show.
 */
public final class RunSimulations implements AutoCloseable {
    public static final int MAX_MACHINES = 500;
    public static final int MAX_DAYS = 28;
    public static final long MAX_JOBS = 50_000;
    private static final long WAIT_MINUTES = 10;
    private static final int REPORTS_KEPT = 5;

    /** What to simulate; null fields take the CLI's defaults (bounded as above). */
    public record Request(
            String jobs,
            String owners,
            List<String> policies,
            Integer machines,
            Integer days,
            Long maxJobs,
            Double timeScale,
            Boolean saturate,
            Long seed) {}

    /** A finished run: its table (as {@code cyphon simulate} prints it) and the id of its HTML report. */
    public record Reply(long id, String table, double seconds) {}

    /** What can be simulated here. */
    public record Choices(List<String> jobs, List<String> cpu, List<String> fits, List<String> presets) {}

    private final Path traces;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "simulate");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, String> reports = new LinkedHashMap<>();

    /** @param traces the directory of trace files ({@code DATA/traces}; need not exist) */
    public RunSimulations(Path traces) {
        this.traces = traces;
    }

    public Choices choices() {
        List<String> jobs = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        if (Files.isDirectory(traces)) {
            try (Stream<Path> files = Files.list(traces)) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (!Files.isRegularFile(f)) continue;
                    if (n.endsWith(".swf") || n.endsWith(".swf.gz")) jobs.add(n);
                    else if (n.endsWith(".csv") || n.endsWith(".csv.gz")) cpu.add(n);
                }
            } catch (IOException e) {
                throw new ApiError(500, "cannot list " + traces + ": " + e.getMessage(), null);
            }
        }
        return new Choices(jobs, cpu, FtaFits.bundled().datasets(), PolicyPresets.names());
    }

    /** Runs one simulation and waits for it. @throws ApiError 400 naming a bad field, 409 while another runs */
    public Reply run(Request r) {
        Choices known = choices();
        List<String> policies =
                r.policies() == null || r.policies().isEmpty() ? SimConfig.defaultPolicies() : r.policies();
        for (String p : policies)
            if (!known.presets().contains(p))
                throw ApiError.badField("policies", "unknown preset '" + p + "' (known: " + known.presets() + ")");
        int machines = bounded("machines", r.machines(), 50, 1, MAX_MACHINES);
        int days = bounded("days", r.days(), 7, 1, MAX_DAYS);
        long maxJobs = r.maxJobs() == null ? 10_000 : r.maxJobs();
        if (maxJobs < 1 || maxJobs > MAX_JOBS) throw ApiError.badField("maxJobs", "must be 1-" + MAX_JOBS);
        double timeScale = r.timeScale() == null ? 1 : r.timeScale();
        if (!(timeScale > 0 && timeScale <= 1000))
            throw ApiError.badField("timeScale", "must be above 0, at most 1000");
        String owners = ownersSpec(r.owners(), known);
        Path jobFile = null;
        if (r.jobs() != null && !r.jobs().isEmpty()) {
            if (!known.jobs().contains(r.jobs()))
                throw ApiError.badField(
                        "jobs", "no job trace '" + r.jobs() + "' in " + traces + " (there: " + known.jobs() + ")");
            jobFile = traces.resolve(r.jobs());
        }
        boolean saturate = Boolean.TRUE.equals(r.saturate()) || jobFile == null;
        long seed = r.seed() == null ? 1 : r.seed();
        SimConfig d = SimConfig.defaults();
        SimConfig cfg = new SimConfig(
                policies,
                d.cores(),
                d.ownerCpusWhilePresent(),
                d.lingerSlowdown(),
                d.checkpointCost(),
                d.checkpointable(),
                d.placementEvery(),
                saturate,
                d.saturateRuntime(),
                seed,
                d.visibleUnservedCpuSeconds(),
                d.normalPriority(),
                d.heatmapDesks(),
                1,
                d.placementOffers());
        OwnerSources.Options o = new OwnerSources.Options(
                machines, days, seed, "weibull", false, d.cores(), 10, OwnerSources.DEFAULT_ORIGIN);
        if (!busy.compareAndSet(false, true))
            throw new ApiError(409, "a simulation is running: wait for it to finish", null);
        Path jobs = jobFile;
        try {
            Future<Reply> f = worker.submit(() -> {
                long t0 = System.nanoTime();
                OwnerTrace ownerTrace = OwnerSources.load(owners, o);
                JobTrace jobTrace =
                        jobs == null ? JobTrace.none() : SwfReader.read(jobs, timeScale, d.cores(), maxJobs);
                SimResult result = Simulation.run(ownerTrace, jobTrace, cfg);
                long id = ids.incrementAndGet();
                keep(id, org.cyphon.sim.report.HtmlReport.render(result));
                return new Reply(id, org.cyphon.sim.report.TableReport.render(result), (System.nanoTime() - t0) / 1e9);
            });
            return f.get(WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InputError bad) throw new ApiError(400, bad.getMessage(), null);
            throw new IllegalStateException("the simulation failed", e.getCause());
        } catch (TimeoutException e) {
            throw new ApiError(504, "the simulation took longer than " + WAIT_MINUTES + " minutes", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted", null);
        } finally {
            busy.set(false);
        }
    }

    /** The HTML report of run {@code id}, or null when it is not kept (any more). */
    public synchronized String report(long id) {
        return reports.get(id);
    }

    private synchronized void keep(long id, String html) {
        reports.put(id, html);
        while (reports.size() > REPORTS_KEPT)
            reports.remove(reports.keySet().iterator().next());
    }

    private String ownersSpec(String owners, Choices known) {
        if (owners == null || owners.isEmpty()) return "fit:nd07cpu";
        if (owners.startsWith("fit:") && known.fits().contains(owners.substring(4))) return owners;
        if (owners.startsWith("cpu:") && known.cpu().contains(owners.substring(4)))
            return "cpu:" + traces.resolve(owners.substring(4));
        throw ApiError.badField(
                "owners",
                "expected fit:NAME (" + known.fits() + ") or cpu:FILE (" + known.cpu() + "), got '" + owners + "'");
    }

    private static int bounded(String field, Integer value, int dflt, int min, int max) {
        int v = value == null ? dflt : value;
        if (v < min || v > max) throw ApiError.badField(field, "must be " + min + "-" + max + ", got " + v);
        return v;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
