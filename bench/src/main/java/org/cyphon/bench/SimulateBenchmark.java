package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cyphon.sim.engine.PolicyResult;
import org.cyphon.sim.engine.SimConfig;
import org.cyphon.sim.engine.SimResult;
import org.cyphon.sim.engine.Simulation;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.SwfReader;
import org.cyphon.sim.jobs.TraceJob;
import org.cyphon.sim.owners.OwnerSources;
import org.cyphon.sim.owners.OwnerTrace;
import org.cyphon.sim.report.TableReport;

/**
 * {@code bench/run simulate}: the simulator's speed on the scale, 1,000 desks x 28 days
 * (fit:nd07cpu) with a 100,000-job SWF trace (HPC2N, submit times scaled so the 100,000 jobs
 * arrive within the 28 days), in process. Target: at most 60 s. Prints the policies' table, the
 * load and the CPU this JVM and other processes used while simulating (a figure taken while
 * others had the cores is not comparable), and a summary line with the wall time of reading the
 * traces and of simulating.
 */
public final class SimulateBenchmark {
    private SimulateBenchmark() {}

    public static void main(String[] args) throws IOException {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.println("""
                    usage: bench/run simulate [--jobs SWF] [--machines N] [--days D] [--max-jobs N] [--time-scale F]
                                              [--policy A,B] [--placement-offers N] [--threads N] [--program-ids N]
                    defaults: ../shared/data/swf/HPC2N-2002-2.1-cln.swf.gz, 1000 desks, 28 days, 100000 jobs,
                              time scale 0.042 (the first 100,000 HPC2N jobs span 666.5 days), policies desktop,htcondor-desktop,
                              all open desks offered to each placement pass, 2 threads, program ids as in the trace
                    --program-ids N: give the jobs about N distinct (user, program) keys for runtime learning,
                              each user's consecutive jobs in runs of jobs/N (HPC2N has no program ids; LLNL Thunder has 17,244)""");
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
        int programIds = Integer.parseInt(opt(a, "--program-ids", "0"));
        if (!Files.exists(jobsFile)) {
            System.err.println("bench/run simulate: no job trace at " + jobsFile + " (give --jobs FILE)");
            System.exit(2);
        }

        long t0 = System.nanoTime();
        OwnerTrace owners = OwnerSources.load(
                "fit:nd07cpu",
                new OwnerSources.Options(machines, days, 1, "weibull", false, 4, 10, OwnerSources.DEFAULT_ORIGIN));
        JobTrace jobs = SwfReader.read(jobsFile, timeScale, 4, maxJobs);
        if (programIds > 0) jobs = withProgramIds(jobs, programIds);
        long t1 = System.nanoTime();
        SimConfig cfg = SimConfig.builder()
                .policies(new ArrayList<>(policies))
                .cores(4)
                .saturate(false)
                .seed(1)
                .threads(threads)
                .placementOffers(offers)
                .build();
        String loadBefore = MachineLoad.now();
        CpuAccount cpu = CpuAccount.start(Map.of(SELF, ProcessHandle.current().pid()));
        SimResult r = Simulation.run(owners, jobs, cfg);
        long t2 = System.nanoTime();
        CpuAccount.Usage used = cpu.stop();
        String loadAfter = MachineLoad.now();

        System.out.print(TableReport.render(r));
        long decisions =
                r.policies().stream().mapToLong(PolicyResult::decisions).sum();
        double simulated = (t2 - t1) / 1e9;
        ResultTable t = new ResultTable("simulate: the machine while simulating");
        if (programIds > 0) t.row("runtime learning", distinctKeys(jobs) + " distinct (user, program) keys");
        t.row("load before", loadBefore);
        t.row("load after", loadAfter);
        t.row(
                "CPU while simulating",
                "this JVM " + CpuAccount.cores(used.of(SELF)) + " (" + Figures.decimal(used.of(SELF) * simulated, 1)
                        + " CPU-s, JIT and GC included); other processes " + Figures.decimal(used.others(), 2)
                        + " cores (machine busy: " + CpuAccount.cores(used.machineCores()) + ")");
        t.print(
                System.out,
                String.format(
                        Locale.ROOT,
                        "simulate: %d desks x %d days, %d jobs, %d policies (%s), %d threads, placement offers %s:"
                                + " read %.1f s, simulated %.1f s (%.0f policy decisions/s); other processes %.2f cores;"
                                + " target <= 60 s",
                        machines,
                        days,
                        jobs.jobs().size(),
                        policies.size(),
                        String.join(",", policies),
                        threads,
                        offers == 0 ? "all" : offers,
                        (t1 - t0) / 1e9,
                        simulated,
                        decisions / simulated,
                        used.others()));
    }

    private static final String SELF = "benchmark JVM";

    /**
     * The trace with about {@code keys} distinct (user, program) names: each user's jobs, in
     * submission order, in runs of jobs/keys sharing one program id, as a user who runs the same
     * program a few times before moving on. Stands in for traces that carry executable ids (LLNL
     * Thunder: 17,244 keys) to measure runtime learning at that scale.
     */
    static JobTrace withProgramIds(JobTrace trace, int keys) {
        int run = Math.max(1, trace.jobs().size() / keys);
        Map<String, Integer> seen = new HashMap<>();
        List<TraceJob> named = new ArrayList<>(trace.jobs().size());
        for (TraceJob j : trace.jobs()) {
            int n = seen.merge(j.user(), 1, Integer::sum) - 1;
            named.add(new TraceJob(
                    j.id(), j.submitMs(), j.runtimeS(), j.cpus(), j.requestedS(), j.user(), "p" + n / run));
        }
        return new JobTrace(
                named, trace.source() + " with ~" + keys + " program ids", trace.skipped(), trace.cappedCpus());
    }

    private static long distinctKeys(JobTrace trace) {
        return trace.jobs().stream()
                .map(j -> j.user() + "/" + j.name())
                .distinct()
                .count();
    }

    private static String opt(List<String> a, String name, String dflt) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : dflt;
    }
}
