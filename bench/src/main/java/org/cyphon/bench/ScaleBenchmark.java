package org.cyphon.bench;

import java.io.PrintStream;

/**
 * {@code bench/run scale}: "10,000 desks and a million jobs". A coordinator process (H2 or
 * PostgreSQL) gets a million jobs, then ten thousand {@link SimulatedAgent}s on the real protocol
 * take them all; measured are the dispatch rate, heartbeat latency while dispatching and in the
 * idle pool afterwards, {@code cyphon q}, the coordinator's resident memory and the database's
 * size. Like {@code dispatch}, a run that lost or repeated a job fails.
 */
public final class ScaleBenchmark {
    private ScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        ScaleSettings s = ScaleSettings.parseOrExit(args);
        try (ScratchDir dir = ScratchDir.create("scale", s.keep())) {
            try {
                ScaleRun.Result r = ScaleRun.measure(s, dir);
                if (!r.verified()) dir.keep();
                print(System.out, s, r);
                System.exit(r.verified() ? 0 : 1);
            } catch (Exception e) {
                dir.keep();
                RunFailure.report("scale", e, dir.path());
                System.exit(1);
            }
        }
    }

    static void print(PrintStream out, ScaleSettings s, ScaleRun.Result r) {
        DispatchTally tally = r.tally();
        ResultTable t = new ResultTable("scale: many desks, a big backlog, one coordinator");
        t.section("setup");
        t.row(
                "coordinator",
                r.coordinatorHow()
                        + (s.lease() == null
                                ? ", default configuration"
                                : ", default configuration but leases.lease = "
                                        + s.lease().toSeconds() + " s"));
        t.row("store", r.storeHow());
        t.row(
                "simulated agents",
                Figures.count(s.agents()) + " x " + Figures.decimal(s.agentCpus(), 1) + " cpus, work long poll "
                        + s.longPoll().toSeconds() + " s, heartbeat every " + r.heartbeatMillis()
                        + " ms while there is news, a third of the lease otherwise (core BeatCadence, as the real agent;"
                        + " spread over the interval)");
        t.row("jobs", Figures.count(s.jobs()) + " x `true`, 1 cpu each, all submitted before the agents start");
        t.row("load before", r.loadBefore());
        t.section("results");
        t.row(
                "submit",
                Figures.count(s.jobs()) + " jobs in " + r.submitted().requests() + " requests, "
                        + Figures.seconds(r.submitted().nanos()) + " ("
                        + Figures.rate(s.jobs() / (r.submitted().nanos() / 1e9)) + " jobs/s)");
        t.row("enroll", Figures.count(s.agents()) + " agents in " + Figures.seconds(r.enrollNanos()));
        t.row(
                "dispatch",
                Figures.rate(r.jobsPerSecond()) + " jobs/s assigned and completed (" + Figures.count(s.jobs()) + " in "
                        + Figures.seconds(tally.elapsedNanos()) + ")");
        t.row(
                "heartbeat, first of each desk",
                r.heartbeatsFirst().summary() + " (every desk's first, all at once, before dispatch)");
        t.row("heartbeat, dispatching", r.heartbeatsDispatching().summary());
        t.row(
                "heartbeat, dispatching, coordinator's count",
                r.countedDispatching().summary());
        t.row("control: GET /health, dispatching", r.healthDispatching().summary() + " (every 100 ms, no store)");
        t.row("heartbeat, idle pool", r.heartbeatsIdle().summary());
        t.row("heartbeat, idle pool, coordinator's count", r.countedIdle().summary());
        t.row("control: GET /health, idle pool", r.healthIdle().summary());
        t.row("work poll (with work)", tally.workPollWithWork.summary());
        t.row("report batch", tally.reportCall.summary());
        for (ScaleRun.QueryTiming q : r.queries()) {
            t.row(
                    "cyphon q, " + q.when(),
                    "request " + q.api().summary() + "; the CLI (its own JVM) " + Figures.seconds(q.cliNanos()) + ": \""
                            + q.cliTail() + "\"");
        }
        for (ScaleRun.Footprint f : r.footprints()) {
            t.row(
                    "footprint, " + f.when(),
                    "coordinator RSS " + Figures.megabytes(f.rssKb()) + ", database "
                            + Figures.megabytes(f.dbBytes() / 1024));
        }
        t.row("coordinator peak RSS", Figures.megabytes(r.peakRssKb()) + " (sampled each second while dispatching)");
        t.row(
                "CPU while dispatching",
                "coordinator " + CpuAccount.cores(r.dispatchCpu().of(ScaleRun.COORDINATOR)) + ", load generator "
                        + CpuAccount.cores(r.dispatchCpu().of(ScaleRun.LOAD_GENERATOR)) + ", other processes "
                        + CpuAccount.cores(r.dispatchCpu().others()) + " (near 0: undisturbed)");
        t.row("load after", r.loadAfter());
        t.row("correctness", r.check());
        t.row(
                "protocol",
                tally.refused() + " refused reports, " + tally.reassigned() + " jobs assigned twice, "
                        + tally.acceptedTwice() + " accepted twice, " + tally.stopsUnexpected()
                        + " stop requests for unreported attempts, " + tally.errors() + " errors"
                        + (tally.firstError() == null ? "" : " (first: " + tally.firstError() + ")"));
        if (s.jfr() != null) t.row("JFR recording", s.jfr() + " (written when the coordinator exits)");
        ScaleRun.QueryTiming first = r.queries().get(0);
        String summary = "scale: " + (r.verified() ? "" : "VERIFICATION FAILED; ") + Figures.count(s.agents())
                + " agents, " + Figures.count(s.jobs()) + " jobs, " + (s.postgres() ? "PostgreSQL" : "H2") + ": "
                + Figures.rate(r.jobsPerSecond()) + " jobs/s; heartbeat p50/p99 "
                + Figures.millis(r.heartbeatsDispatching().percentile(0.5)) + "/"
                + Figures.millis(r.heartbeatsDispatching().percentile(0.99)) + " dispatching, "
                + Figures.millis(r.heartbeatsIdle().percentile(0.5)) + "/"
                + Figures.millis(r.heartbeatsIdle().percentile(0.99)) + " idle; q "
                + Figures.millis(first.api().percentile(0.5)) + " (" + Figures.count(s.jobs()) + " queued), "
                + Figures.millis(r.queries().get(r.queries().size() - 1).api().percentile(0.5))
                + " (all completed); coordinator peak RSS " + Figures.megabytes(r.peakRssKb()) + "; database "
                + Figures.megabytes(
                        r.footprints().get(r.footprints().size() - 1).dbBytes() / 1024);
        t.print(out, summary);
    }
}
