package org.cyphon.coordinator.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.cyphon.sim.report.HtmlReport;
import org.cyphon.sim.report.TableReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's Simulate page: {@code cyphon simulate} run by the coordinator over the traces an
 * admin put in {@code DATA/traces} (SWF job traces, PlanetLab CPU series) and the bundled owner
 * fits, comparing presets. One run at a time on a thread of its own, bounded in size so that a run
 * takes seconds to minutes, not hours (the CLI has no bounds). A run is started and then asked
 * after (no request waits for it); the last few runs and their HTML reports are kept in memory.
 */
public final class RunSimulations implements AutoCloseable {
    public static final int MAX_MACHINES = 500;
    public static final int MAX_DAYS = 28;
    public static final long MAX_JOBS = 50_000;
    private static final int KEPT = 5;
    private static final Logger log = LoggerFactory.getLogger(RunSimulations.class);

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

    /**
     * A run: {@code running} (with how far it got, 0-1), {@code done} (with the table as
     * {@code cyphon simulate} prints it, and an HTML report) or {@code failed} (with why).
     */
    public record Run(long id, String state, double progress, String table, Double seconds, String error) {}

    /** What can be simulated here. */
    public record Choices(List<String> jobs, List<String> cpu, List<String> fits, List<String> presets) {}

    private final Path traces;
    private final UploadTraces uploads;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "simulate");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Run> runs = new LinkedHashMap<>();
    private final Map<Long, String> reports = new LinkedHashMap<>();

    /** @param traces the directory of trace files ({@code DATA/traces}; need not exist) */
    public RunSimulations(Path traces) {
        this.traces = traces;
        this.uploads = new UploadTraces(traces);
    }

    /** Traces uploaded from the Simulate page, into the same directory. */
    public UploadTraces uploads() {
        return uploads;
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

    /** Starts one simulation. @throws ApiError 400 naming a bad field, 409 while another runs */
    public Run start(Request r) {
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
        SimConfig cfg = SimConfig.builder()
                .policies(policies)
                .saturate(saturate)
                .seed(seed)
                .threads(1)
                .build();
        OwnerSources.Options o = new OwnerSources.Options(
                machines, days, seed, "weibull", false, d.cores(), 10, OwnerSources.DEFAULT_ORIGIN);
        if (!busy.compareAndSet(false, true))
            throw new ApiError(409, "a simulation is running: wait for it to finish", null);
        long id = ids.incrementAndGet();
        Path jobs = jobFile;
        int presets = policies.size();
        Map<String, Double> reached = new java.util.concurrent.ConcurrentHashMap<>();
        keep(new Run(id, "running", 0, null, null, null), null);
        try {
            worker.execute(() -> {
                long t0 = System.nanoTime();
                try {
                    OwnerTrace ownerTrace = OwnerSources.load(owners, o);
                    JobTrace jobTrace =
                            jobs == null ? JobTrace.none() : SwfReader.read(jobs, timeScale, d.cores(), maxJobs);
                    SimResult result = Simulation.run(ownerTrace, jobTrace, cfg, (policy, fraction) -> {
                        // The only way into a running simulation: a coordinator that stops ends it here.
                        if (closed.get()) throw new CancellationException("the coordinator stopped");
                        reached.put(policy, fraction);
                        double sum = reached.values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum();
                        keep(new Run(id, "running", Math.min(1, sum / presets), null, null, null), null);
                    });
                    keep(
                            new Run(id, "done", 1, TableReport.render(result), (System.nanoTime() - t0) / 1e9, null),
                            HtmlReport.render(result));
                } catch (InputError bad) {
                    keep(new Run(id, "failed", 0, null, null, bad.getMessage()), null);
                } catch (RuntimeException e) {
                    log.warn("simulation {} failed", id, e);
                    keep(
                            new Run(
                                    id,
                                    "failed",
                                    0,
                                    null,
                                    null,
                                    "the simulation failed (details in the coordinator's log)"),
                            null);
                } finally {
                    busy.set(false);
                }
            });
        } catch (RuntimeException e) {
            busy.set(false);
            throw e;
        }
        return run(id);
    }

    /** Run {@code id} as it stands. @throws ApiError 404 when it is not kept (any more) */
    public synchronized Run run(long id) {
        Run r = runs.get(id);
        if (r == null) throw new ApiError(404, "no simulation " + id + " (the last " + KEPT + " are kept)", null);
        return r;
    }

    /** The HTML report of run {@code id}, or null when it is not kept (any more). */
    public synchronized String report(long id) {
        return reports.get(id);
    }

    private synchronized void keep(Run r, String html) {
        runs.put(r.id(), r);
        if (html != null) reports.put(r.id(), html);
        while (runs.size() > KEPT) {
            Long oldest = runs.keySet().iterator().next();
            runs.remove(oldest);
            reports.remove(oldest);
        }
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
        closed.set(true);
        worker.shutdownNow();
    }
}
