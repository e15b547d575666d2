package org.cyphon.bench;

import java.io.PrintStream;

/** Prints a dispatch run as the table and the one-line summary the README quotes. */
final class DispatchReport {
    private DispatchReport() {}

    static void print(PrintStream out, DispatchSettings s, DispatchRun.Result r, ScratchDir dir) {
        DispatchTally tally = r.tally();
        ResultTable t = new ResultTable("dispatch: coordinator throughput with simulated agents over real HTTP");
        t.section("setup");
        t.row("coordinator", r.coordinatorHow() + ", default configuration");
        t.row("store", r.store());
        t.row(
                "simulated agents",
                Figures.count(s.agents()) + " x " + Figures.decimal(s.agentCpus(), 1) + " cpus, long poll "
                        + s.longPoll().toMillis() + " ms, heartbeat every " + r.heartbeatMillis()
                        + " ms (as enrolled), " + s.clients() + " HTTP/1.1 clients");
        t.row(
                "jobs",
                Figures.count(s.jobs()) + " x `true`, " + Figures.decimal(s.jobCpus(), 2)
                        + " cpu each, all submitted before the agents start"
                        + (s.warmup() > 0
                                ? "; after " + r.warmupRounds() + " x " + Figures.count(s.warmup())
                                        + " untimed warm-up jobs through the same coordinator and agents"
                                : "; cold coordinator (no warm-up)"));
        t.row("load before", r.loadBefore());
        t.section("results");
        t.row(
                "throughput",
                Figures.rate(r.jobsPerSecond()) + " jobs/s assigned and completed (" + Figures.count(s.jobs()) + " in "
                        + Figures.seconds(tally.elapsedNanos()) + ", first assignment to last accepted report)");
        t.row(
                "submit",
                Figures.count(s.jobs()) + " jobs in " + r.submitted().requests() + " requests, "
                        + Figures.seconds(r.submitted().nanos()) + " ("
                        + Figures.rate(s.jobs() / (r.submitted().nanos() / 1e9)) + " jobs/s)");
        t.row(
                "assignments per poll",
                Figures.decimal((double) tally.assignments() / Math.max(1, tally.workPollWithWork.count()), 1)
                        + " on average");
        t.row("work poll (with work)", tally.workPollWithWork.summary());
        t.row("report batch", tally.reportCall.summary());
        t.row("heartbeat", tally.heartbeatCalls().summary());
        if (s.probes() > 0) {
            t.row(
                    "idle dispatch",
                    r.probe().submitToAgent.summary() + ": submit call start to an idle agent holding the job");
            t.row("submit call (1 job)", r.probe().submitCall.summary());
        }
        CpuAccount.Usage cpu = r.cpu();
        if (s.separateProcess()) {
            t.row(
                    "coordinator CPU",
                    CpuAccount.cores(cpu.of(DispatchRun.COORDINATOR)) + " during the timed window"
                            + (tally.elapsedNanos() > 0
                                    ? " ("
                                            + Figures.decimal(
                                                    cpu.of(DispatchRun.COORDINATOR) * 1e6 / r.jobsPerSecond(), 0)
                                            + " us CPU per job)"
                                    : ""));
            t.row("load generator CPU", CpuAccount.cores(cpu.of(DispatchRun.LOAD_GENERATOR)) + " (same machine)");
        } else {
            t.row(
                    "benchmark JVM CPU",
                    CpuAccount.cores(cpu.of(DispatchRun.LOAD_GENERATOR))
                            + " (coordinator and load generator together)");
        }
        t.row("store writer", r.writer().summary() + " (cyphon_store_* in /metrics)");
        t.row(
                "coordinator JIT",
                Figures.decimal(r.jitCores(), 2) + " cores in its compiler threads during the timed window"
                        + (r.warmupRounds() > 0
                                ? " (after " + r.warmupRounds() + " warm-up round(s): until one used < "
                                        + Figures.decimal(DispatchRun.WARM_JIT_CORES, 2) + ", at most "
                                        + DispatchRun.MAX_WARMUP_ROUNDS + ")"
                                : " (no warm-up)"));
        t.row(
                "other processes' CPU",
                Figures.decimal(cpu.others(), 2) + " cores (machine busy: " + CpuAccount.cores(cpu.machineCores())
                        + "): near 0 means an undisturbed measurement");
        t.row("load after", r.loadAfter());
        t.row("correctness", r.check().summary());
        t.row(
                "protocol",
                tally.refused() + " refused reports, " + tally.reassigned() + " jobs assigned twice, "
                        + tally.acceptedTwice()
                        + " accepted twice, " + tally.stopsUnexpected() + " stop requests for unreported attempts (+"
                        + tally.stopsAfterReport()
                        + " for attempts a heartbeat listed just before their report was taken: benign), "
                        + tally.errors() + " errors"
                        + (tally.firstError() != null ? " (first: " + tally.firstError() + ")" : ""));
        if (s.jfr() != null) t.row("JFR recording", s.jfr() + " (written when the coordinator exits)");
        if (dir.kept()) t.row("scratch dir", dir.path().toString());

        t.print(out, summary(s, r, Figures.rate(r.jobsPerSecond()) + " jobs/s", ""));
    }

    /** "dispatch: 3,650 jobs/s (50 agents, 50,000 jobs, coordinator H2 file, separate process)". */
    static String summary(DispatchSettings s, DispatchRun.Result r, String figure, String runs) {
        return "dispatch: " + figure + " (" + runs + Figures.count(s.agents()) + " agents, " + Figures.count(s.jobs())
                + " jobs, coordinator " + (s.postgres() ? "PostgreSQL" : r.store()) + ", "
                + (s.separateProcess() ? "separate process" : "in-process")
                + (s.warmup() > 0
                        ? ", after " + r.warmupRounds() + " x " + Figures.count(s.warmup()) + " warm-up jobs"
                        : ", cold")
                + ")"
                + (r.verified() ? "" : " -- VERIFICATION FAILED");
    }
}
