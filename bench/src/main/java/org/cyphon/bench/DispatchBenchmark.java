package org.cyphon.bench;

/**
 * {@code bench/run dispatch}: how many jobs per second the coordinator assigns and completes,
 * over real HTTP on its default embedded database, when many agents ask for work at once.
 *
 * <p>Setup: N trivial jobs are submitted up front, then M {@link SimulatedAgent}s enroll and each
 * loops long-poll -> report everything finished -> long-poll, heartbeating on the side. Agents do
 * no work, so the figure is the coordinator's cost per job (placement, attempt rows, fencing,
 * report handling, JSON, HTTP). The clock runs from the first assignment any agent receives to
 * the accepted report that completes the N-th job ({@link DispatchTally}). Afterwards the
 * coordinator's own job listing must show every job completed exactly once, or the run fails.
 */
public final class DispatchBenchmark {
    private DispatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        DispatchSettings s = DispatchSettings.parseOrExit(args);
        if (!s.separateProcess()) LogToFile.redirectLogback(); // before the coordinator's first log line
        RepeatedRuns runs = new RepeatedRuns();
        DispatchRun.Result last = null;
        for (int i = 1; i <= s.repeat(); i++) {
            if (s.repeat() > 1) System.out.println((i > 1 ? "\n" : "") + "=== run " + i + " of " + s.repeat());
            last = runOnce(s);
            if (last == null || !last.verified()) System.exit(1); // a broken run makes the median meaningless
            runs.add(last.jobsPerSecond());
        }
        if (s.repeat() > 1)
            System.out.println("\n"
                    + DispatchReport.summary(s, last, Figures.rate(runs.median()) + " jobs/s", runs.describe() + "; "));
        System.exit(0);
    }

    /** One measurement with its own scratch dir; null if it broke (the reason is printed). */
    private static DispatchRun.Result runOnce(DispatchSettings s) throws Exception {
        try (ScratchDir dir = ScratchDir.create("dispatch", s.keep())) {
            LogToFile.setFile(dir.resolve("coordinator.log"));
            try {
                DispatchRun.Result r = DispatchRun.measure(s, dir);
                if (!r.verified()) dir.keep();
                DispatchReport.print(System.out, s, r, dir);
                return r;
            } catch (Exception e) {
                dir.keep();
                RunFailure.report("dispatch", e, dir.path());
                return null;
            }
        }
    }
}
