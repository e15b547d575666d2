package org.cyphon.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.text.Sizes;

/** Prints an e2e run as the table and the one-line summary the README quotes. */
final class EndToEndReport {
    private EndToEndReport() {}

    static void print(PrintStream out, EndToEndBenchmark.Result r, ScratchDir dir) {
        EndToEndBenchmark.Settings s = r.settings();
        long concurrency = Math.min(
                (long) Math.floor(s.agentCpus() / s.jobCpus() + 1e-9),
                Sizes.parse(s.agentMemory()) / Sizes.parse(s.jobMemory()));
        double rate = r.jobsPerSecond();
        List<JobView> jobs = r.check().ours();
        CpuAccount.Usage cpu = r.cpu();

        ResultTable t = new ResultTable("e2e: trivial jobs through a real coordinator and one real agent");
        t.section("setup");
        t.row("coordinator", r.coordinatorHow() + ", default configuration, " + r.store());
        t.row(
                "agent",
                "separate process (java " + String.join(" ", r.agent().jvmFlags()) + " -jar cyphon.jar agent), "
                        + Figures.decimal(s.agentCpus(), 1) + " cpus, " + s.agentMemory() + ", policy preset "
                        + s.policy() + ", sandbox " + r.agent().sandbox()
                        + ", " + r.agentTiming());
        t.row(
                "jobs",
                Figures.count(s.jobs()) + " x `true`, " + Figures.decimal(s.jobCpus(), 2) + " cpu and " + s.jobMemory()
                        + " each: up to " + concurrency + " at once; submitted in " + r.requests() + " request(s)");
        String user = System.getProperty("user.name");
        t.row("run as", user + ("root".equals(user) ? " (jobs run as nobody)" : ""));
        t.row("load before", r.loadBefore());
        t.section("results");
        t.row(
                "throughput",
                Figures.rate(rate) + " jobs/s (" + Figures.count(s.jobs()) + " in " + Figures.seconds(r.wallNanos())
                        + ", submit call to the benchmark seeing all ended, polled every 100 ms)");
        t.row("coordinator-timed", coordinatorTimed(jobs));
        t.row(
                "queue wait",
                between(
                                jobs,
                                j -> j.submission().submittedAt(),
                                j -> j.progress().startedAt()) + ": submittedAt to startedAt");
        t.row(
                "attempt time",
                between(jobs, j -> j.progress().startedAt(), j -> j.progress().finishedAt())
                        + ": startedAt to finishedAt (start, run, output, report)");
        t.row(
                "agent CPU",
                CpuAccount.cores(cpu.of(EndToEndBenchmark.AGENT)) + "; RSS " + Figures.megabytes(r.agentRssKb())
                        + " at the end, peak " + Figures.megabytes(r.agentPeakRssKb()));
        t.row(
                "jobs CPU",
                CpuAccount.cores(cpu.of(CpuAccount.childrenOf(EndToEndBenchmark.AGENT)))
                        + ": the jobs and their launch wrappers (reaped children of the agent: cutime + cstime)");
        t.row("coordinator CPU", CpuAccount.cores(cpu.of(EndToEndBenchmark.COORDINATOR)));
        t.row(
                "other processes' CPU",
                Figures.decimal(cpu.others(), 2) + " cores (machine busy: " + CpuAccount.cores(cpu.machineCores())
                        + "): near 0 means an undisturbed measurement");
        t.row("load after", r.loadAfter());
        t.row("correctness", r.check().summary());
        if (dir.kept()) t.row("scratch dir", dir.path().toString());
        t.print(out, summary(r, Figures.rate(rate) + " jobs/s", ""));
    }

    /** "e2e: 64.0 jobs/s (1,000 x true through one real agent, 2 cpus, 0.10 cpu per job, sandbox cgroup-v1)". */
    static String summary(EndToEndBenchmark.Result r, String figure, String runs) {
        EndToEndBenchmark.Settings s = r.settings();
        return "e2e: " + figure + " (" + runs + Figures.count(s.jobs()) + " x true through one real agent, "
                + Figures.decimal(s.agentCpus(), 0) + " cpus, " + Figures.decimal(s.jobCpus(), 2)
                + " cpu per job, sandbox " + r.agent().sandbox() + ")"
                + (r.check().ok() ? "" : " -- VERIFICATION FAILED");
    }

    /** The same figure by the coordinator's own clock: first submittedAt to last finishedAt. */
    private static String coordinatorTimed(List<JobView> jobs) {
        Instant first = jobs.stream()
                .map(j -> j.submission().submittedAt())
                .filter(Objects::nonNull)
                .min(Instant::compareTo)
                .orElse(null);
        Instant last = jobs.stream()
                .map(j -> j.progress().finishedAt())
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(null);
        if (first == null || last == null) return "no timestamps";
        long nanos = Duration.between(first, last).toNanos();
        return Figures.rate(jobs.size() / (nanos / 1e9)) + " jobs/s (first submittedAt to last finishedAt: "
                + Figures.seconds(nanos) + ")";
    }

    private interface Stamp {
        Instant of(JobView j);
    }

    private static String between(List<JobView> jobs, Stamp from, Stamp to) {
        LatencySamples s = new LatencySamples();
        for (JobView j : jobs) {
            Instant a = from.of(j), b = to.of(j);
            if (a != null && b != null) s.add(Duration.between(a, b).toNanos());
        }
        return s.summary();
    }
}
