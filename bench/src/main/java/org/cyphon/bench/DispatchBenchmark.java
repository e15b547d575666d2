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
        int status;
        try (ScratchDir dir = ScratchDir.create("dispatch", s.keep())) {
            LogToFile.setFile(dir.resolve("coordinator.log"));
            try {
                DispatchRun.Result r = DispatchRun.measure(s, dir);
                if (!r.verified()) dir.keep();
                DispatchReport.print(System.out, s, r, dir);
                status = r.verified() ? 0 : 1;
            } catch (Exception e) {
                dir.keep();
                System.err.println("bench/run dispatch: " + e.getMessage());
                System.err.println("bench/run dispatch: logs and database kept in " + dir.path());
                status = 1;
            }
        }
        System.exit(status);
    }
}
