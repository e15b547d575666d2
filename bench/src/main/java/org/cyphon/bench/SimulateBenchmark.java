package org.cyphon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cyphon.sim.engine.PolicyResult;
import org.cyphon.sim.engine.SimConfig;
import org.cyphon.sim.engine.SimResult;
import org.cyphon.sim.engine.Simulation;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.SwfReader;
import org.cyphon.sim.owners.OwnerSources;
import org.cyphon.sim.owners.OwnerTrace;
import org.cyphon.sim.report.TableReport;

/**
 * {@code bench/run simulate}: the simulator's speed on the scale, 1,000 desks x 28 days
 * (fit:nd07cpu) with a 100,000-job SWF trace (HPC2N, submit times scaled so the 100,000 jobs
 * arrive within the 28 days), in process. Target: at most 60 s. Prints the policies' table and a
 * summary line with the wall time of reading the traces and of simulating.
 */
public final class SimulateBenchmark {
    private SimulateBenchmark() {}

    public static void main(String[] args) {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.println("""
                    usage: bench/run simulate [--jobs SWF] [--machines N] [--days D] [--max-jobs N] [--time-scale F]
                                              [--policy A,B] [--placement-offers N] [--threads N]
                    defaults: ../shared/data/swf/HPC2N-2002-2.1-cln.swf.gz, 1000 desks, 28 days, 100000 jobs,
                              time scale 0.042 (the first 100,000 HPC2N jobs span 666.5 days), policies desktop,htcondor-desktop,
                              all open desks offered to each placement pass, 2 threads""");
            return;
        }
        Path home = Path.of(System.getProperty("cyphon.home", "."));
        Path jobsFile = Path.of(opt(
                a,
                "--jobs",
                home.resolve("../shared/data/swf/HPC2N-2002-2.1-cln.swf.gz").toString()));
        int machines = Integer.parseInt(opt(a, "--machines", "1000"));
        int days = Integer.parseInt(opt(a, "--days", "28"));
        long maxJobs = Long.parseLong(opt(a, "--max-jobs", "100000"));
        double timeScale = Double.parseDouble(opt(a, "--time-scale", "0.042"));
        List<String> policies =
                List.of(opt(a, "--policy", "desktop,htcondor-desktop").split(","));
        int offers = Integer.parseInt(opt(a, "--placement-offers", "0"));
        int threads = Integer.parseInt(opt(a, "--threads", "2"));
        if (!Files.exists(jobsFile)) {
            System.err.println("bench/run simulate: no job trace at " + jobsFile + " (give --jobs FILE)");
            System.exit(2);
        }

        long t0 = System.nanoTime();
        OwnerTrace owners = OwnerSources.load(
                "fit:nd07cpu",
                new OwnerSources.Options(machines, days, 1, "weibull", false, 4, 10, OwnerSources.DEFAULT_ORIGIN));
        JobTrace jobs = SwfReader.read(jobsFile, timeScale, 4, maxJobs);
        long t1 = System.nanoTime();
        SimConfig d = SimConfig.defaults();
        SimConfig cfg = new SimConfig(
                new ArrayList<>(policies),
                4,
                d.ownerCpusWhilePresent(),
                d.lingerSlowdown(),
                d.checkpointCost(),
                d.checkpointable(),
                d.placementEvery(),
                false,
                d.saturateRuntime(),
                1,
                d.visibleUnservedCpuSeconds(),
                d.normalPriority(),
                d.heatmapDesks(),
                threads,
                offers);
        SimResult r = Simulation.run(owners, jobs, cfg);
        long t2 = System.nanoTime();

        System.out.print(TableReport.render(r));
        long decisions =
                r.policies().stream().mapToLong(PolicyResult::decisions).sum();
        System.out.printf(
                Locale.ROOT,
                "simulate: %d desks x %d days, %d jobs, %d policies (%s), %d threads, placement offers %s:"
                        + " read %.1f s, simulated %.1f s (%.0f policy decisions/s); target <= 60 s%n",
                machines,
                days,
                jobs.jobs().size(),
                policies.size(),
                String.join(",", policies),
                threads,
                offers == 0 ? "all" : offers,
                (t1 - t0) / 1e9,
                (t2 - t1) / 1e9,
                decisions / ((t2 - t1) / 1e9));
    }

    private static String opt(List<String> a, String name, String dflt) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : dflt;
    }
}
