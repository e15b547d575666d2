package org.cyphon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cyphon.core.policy.PolicyPresets;
import org.cyphon.core.text.Durations;
import org.cyphon.sim.InputError;
import org.cyphon.sim.engine.PowerSettings;
import org.cyphon.sim.engine.SimConfig;
import org.cyphon.sim.engine.SimResult;
import org.cyphon.sim.engine.Simulation;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.SwfReader;
import org.cyphon.sim.owners.OwnerSources;
import org.cyphon.sim.owners.OwnerTrace;
import org.cyphon.sim.report.HtmlReport;
import org.cyphon.sim.report.JsonReport;
import org.cyphon.sim.report.TableReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cyphon simulate}: replays a job trace and an owner trace through core's policies,
 * presence, forecasts and placement, and prints each policy's harvest and owner interference.
 * Needs no coordinator: everything runs in this process (see docs/simulator.md).
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replay real traces through Cyphon's own decision code and measure each policy: harvest efficiency, "
                    + "owner interference, wasted work, job completion.",
            "See docs/simulator.md for the model and every definition."
        })
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--jobs",
            paramLabel = "FILE",
            description = "SWF workload (Parallel Workloads Archive), plain or .gz.")
    Path jobs;

    @Option(
            names = "--owners",
            required = true,
            paramLabel = "SOURCE",
            description = "intervals:FILE | history:FILE | cpu:FILE[,FILE...] | fit:NAME (nd07cpu, microsoft99, ...).")
    String owners;

    @Option(
            names = "--owner-cpu",
            paramLabel = "cpu:FILE[,FILE...]",
            description =
                    "Take the owner's CPU demand while present from PlanetLab CPU series (over another presence source).")
    String ownerCpu;

    @Option(
            names = "--policy",
            paramLabel = "A,B,...",
            split = ",",
            description = "Presets to compare (default: all: ${DEFAULT-VALUE}).")
    List<String> policies = new ArrayList<>(PolicyPresets.names());

    @Option(
            names = "--cores",
            defaultValue = "4",
            description = "A desk's cores when the owner trace does not say (default ${DEFAULT-VALUE}).")
    int cores;

    @Option(
            names = "--machines",
            defaultValue = "100",
            description = "fit: desks to generate; cpu: at most this many hosts, 0 = all (default ${DEFAULT-VALUE}).")
    int machines;

    @Option(names = "--days", defaultValue = "28", description = "fit: days to generate (default ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed for generated owners and the checkpointable draw (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--fit-distribution",
            defaultValue = "weibull",
            description = "fit: weibull, lognormal, gamma or exponential (default ${DEFAULT-VALUE}).")
    String fitDistribution;

    @Option(
            names = "--office-hours",
            description = "fit: owners present only Mon-Fri 08:00-18:00 UTC (see docs/simulator.md).")
    boolean officeHours;

    @Option(
            names = "--present-threshold",
            defaultValue = "10",
            description =
                    "cpu: as the presence source, utilisation %% at or above which the owner is present (default ${DEFAULT-VALUE}).")
    double presentThreshold;

    @Option(
            names = "--origin",
            paramLabel = "INSTANT",
            description = "What time 0 of an intervals trace is (default 2026-11-02T00:00:00Z, a Monday).")
    String origin;

    @Option(
            names = "--time-scale",
            defaultValue = "1",
            description = "Multiply the job trace's submit times by this (default ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(
            names = "--max-jobs",
            defaultValue = "0",
            description = "Read at most this many jobs, 0 = all (default ${DEFAULT-VALUE}).")
    long maxJobs;

    @Option(
            names = "--owner-demand",
            defaultValue = "0.25",
            description =
                    "The owner's CPU demand while present, in CPUs, when no CPU series gives it (default ${DEFAULT-VALUE}).")
    double ownerDemand;

    @Option(
            names = "--linger-slowdown",
            defaultValue = "0.02",
            description =
                    "Owner slowdown beside idle-priority guest work, as measured by bench/run owner (default ${DEFAULT-VALUE}).")
    double lingerSlowdown;

    @Option(
            names = "--checkpoint-cost",
            defaultValue = "60s",
            description = "Time to write one checkpoint (default ${DEFAULT-VALUE}).")
    String checkpointCost;

    @Option(
            names = "--checkpointable",
            defaultValue = "0.5",
            description = "Fraction of jobs that can checkpoint (default ${DEFAULT-VALUE}).")
    double checkpointable;

    @Option(
            names = "--placement-every",
            defaultValue = "60s",
            description = "Placement cycle (default ${DEFAULT-VALUE}).")
    String placementEvery;

    @Option(
            names = "--saturate",
            description = "Keep a never-empty queue of 1-CPU synthetic jobs: measures harvest against capacity.")
    boolean saturate;

    @Option(
            names = "--saturate-job",
            defaultValue = "1h",
            description = "Work of each synthetic job (default ${DEFAULT-VALUE}).")
    String saturateJob;

    @Option(
            names = "--normal-priority",
            paramLabel = "A,B,...",
            split = ",",
            defaultValue = "htcondor-desktop",
            description =
                    "Presets whose jobs run at normal priority; others run at idle priority (default ${DEFAULT-VALUE}).")
    List<String> normalPriority;

    @Option(
            names = "--visible-after",
            defaultValue = "1",
            description =
                    "An owner arrival is visible when more than this many owner CPU-seconds went unserved (default ${DEFAULT-VALUE}).")
    double visibleAfter;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Policies simulated in parallel (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--placement-offers",
            defaultValue = "0",
            description =
                    "Offer at most this many open desks to one placement pass, 0 = all (default ${DEFAULT-VALUE}); bounds forecast cost.")
    int placementOffers;

    @Option(
            names = "--shutdown-delay",
            defaultValue = "30s",
            description = "How long a desk switching off waits for its agent to checkpoint (logind's delay lock; "
                    + "0 = shutdowns not announced, as a power cut) (default ${DEFAULT-VALUE}).")
    String shutdownDelay;

    @Option(
            names = "--suspend-when-idle",
            defaultValue = "off",
            description = "Desks sleep after their owner is away and they had no work for this long, "
                    + "and are woken by Wake-on-LAN for queued work; off = never (default ${DEFAULT-VALUE}).")
    String suspendWhenIdle;

    @Option(
            names = "--max-awake",
            defaultValue = "20",
            description = "Wake-on-LAN wake-ups per hour, for the whole pool (default ${DEFAULT-VALUE}).")
    int maxAwake;

    @Option(
            names = "--resume-time",
            defaultValue = "30s",
            description = "From the wake-up to the desk taking work (default ${DEFAULT-VALUE}).")
    String resumeTime;

    @Option(
            names = "--watts",
            paramLabel = "AWAKE,ASLEEP,OFF",
            defaultValue = "50,4,2",
            description = "A desk's draw awake, asleep and off, for the energy figure (default ${DEFAULT-VALUE}: "
                    + "ENERGY STAR 4.0 desktop limits).")
    String watts;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show a progress line on stderr while simulating (default: only when stderr is a terminal).")
    Boolean progress;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(
            names = "--report",
            paramLabel = "FILE.html",
            description = "Write a self-contained HTML report with charts.")
    Path report;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        SimConfig cfg;
        try {
            cfg = config();
        } catch (InputError e) {
            err.println("cyphon simulate: " + e.getMessage());
            return 2;
        }
        boolean show = progress != null ? progress : SimulateProgress.stderrIsTerminal();
        try (SimulateProgress line = new SimulateProgress(err, cfg.policies(), show)) {
            line.phase("reading the traces");
            long t0 = System.nanoTime();
            OwnerSources.Options o = new OwnerSources.Options(
                    machines,
                    days,
                    seed,
                    fitDistribution.toLowerCase(Locale.ROOT),
                    officeHours,
                    cores,
                    presentThreshold,
                    originInstant());
            OwnerTrace ownerTrace = OwnerSources.load(owners, o);
            if (ownerCpu != null) ownerTrace = OwnerSources.withOwnerCpu(ownerTrace, ownerCpu, cores);
            JobTrace jobTrace = jobs == null ? JobTrace.none() : SwfReader.read(jobs, timeScale, cores, maxJobs);
            line.phase("simulating");
            SimResult result = Simulation.run(ownerTrace, jobTrace, cfg, line);
            line.close();
            out.print(TableReport.render(result));
            out.printf(Locale.ROOT, "simulated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            if (json != null) writeAtomically(json, JsonReport.render(result));
            if (report != null) writeAtomically(report, HtmlReport.render(result));
            out.flush();
            return 0;
        } catch (InputError e) {
            err.println("cyphon simulate: " + e.getMessage());
            return 2;
        }
    }

    private SimConfig config() {
        Set<String> known = new LinkedHashSet<>(PolicyPresets.names());
        for (String p : policies) {
            if (!known.contains(p.trim()))
                throw new InputError("--policy: unknown preset '" + p + "' (known: " + String.join(", ", known) + ")");
        }
        if (cores <= 0) throw new InputError("--cores must be positive, not " + cores);
        if (!(checkpointable >= 0 && checkpointable <= 1))
            throw new InputError("--checkpointable must be a fraction 0-1, not " + checkpointable);
        if (!(lingerSlowdown >= 0 && lingerSlowdown < 1))
            throw new InputError("--linger-slowdown must be a fraction 0-1, not " + lingerSlowdown);
        if (!(ownerDemand >= 0)) throw new InputError("--owner-demand must not be negative, not " + ownerDemand);
        if (!(timeScale > 0)) throw new InputError("--time-scale must be positive, not " + timeScale);
        if (maxJobs < 0) throw new InputError("--max-jobs must not be negative");
        if (threads <= 0) throw new InputError("--threads must be positive");
        if (placementOffers < 0) throw new InputError("--placement-offers must not be negative");
        Duration ckpt = duration("--checkpoint-cost", checkpointCost);
        Duration every = duration("--placement-every", placementEvery);
        Duration satJob = duration("--saturate-job", saturateJob);
        if (satJob.isZero()) throw new InputError("--saturate-job must be positive");
        if (maxAwake < 0) throw new InputError("--max-awake must not be negative");
        Duration sleepAfter = null;
        if (!"off".equalsIgnoreCase(suspendWhenIdle.trim())) {
            sleepAfter = duration("--suspend-when-idle", suspendWhenIdle);
            if (sleepAfter.isZero()) throw new InputError("--suspend-when-idle must be positive, or off");
        }
        PowerSettings power = new PowerSettings(
                duration("--shutdown-delay", shutdownDelay),
                sleepAfter,
                maxAwake,
                duration("--resume-time", resumeTime),
                watts(watts));
        return new SimConfig(
                policies.stream().map(String::trim).toList(),
                cores,
                ownerDemand,
                lingerSlowdown,
                ckpt,
                checkpointable,
                every,
                saturate,
                satJob,
                seed,
                visibleAfter,
                Set.copyOf(normalPriority),
                40,
                threads,
                placementOffers,
                power);
    }

    private static PowerSettings.Watts watts(String text) {
        String[] w = text.split(",", -1);
        try {
            if (w.length != 3) throw new NumberFormatException();
            double awake = Double.parseDouble(w[0].trim());
            double asleep = Double.parseDouble(w[1].trim());
            double off = Double.parseDouble(w[2].trim());
            return new PowerSettings.Watts(awake, asleep, off);
        } catch (IllegalArgumentException e) {
            throw new InputError(
                    "--watts: '" + text + "' is not three numbers >= 0, awake,asleep,off (example: 50,4,2)");
        }
    }

    private Instant originInstant() {
        if (origin == null) return OwnerSources.DEFAULT_ORIGIN;
        try {
            return Instant.parse(origin);
        } catch (DateTimeException e) {
            throw new InputError("--origin '" + origin + "' is not an instant like 2026-11-02T00:00:00Z");
        }
    }

    private static Duration duration(String option, String text) {
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative()) throw new IllegalArgumentException("negative");
            return d;
        } catch (RuntimeException e) {
            throw new InputError(option + ": '" + text + "' is not a duration (examples: 30s, 5m, 1h)");
        }
    }

    /** Writes through a temporary file and a move, so a failed run never leaves half a file. */
    static void writeAtomically(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new InputError(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    static List<String> split(String s) {
        return Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }
}
