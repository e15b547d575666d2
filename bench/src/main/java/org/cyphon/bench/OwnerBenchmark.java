package org.cyphon.bench;

import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bench/run owner}: what Cyphon's jobs cost the person at the desk. A real owner workload —
 * cyclictest's wake-up latency while {@code xz -9} compresses a fixed file — run (a) alone, (b)
 * beside a CPU burner per core at nice 0, (c) the same at nice 19, (f) the same at SCHED_IDLE (the
 * floor for (d)), (d) beside Cyphon's jobs on a real agent with the {@code desktop} policy while
 * the owner types; and (e) how fast a {@code strict} desk's job stops when a key is pressed,
 * measured from outside the agent.
 */
public final class OwnerBenchmark {
    private OwnerBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parseOrExit(
                "owner",
                "The owner's wake-up latency and CPU throughput beside background work, with and without Cyphon; and the yield latency under strict.",
                OwnerSettings.OPTIONS,
                args);
        OwnerSettings s = OwnerSettings.from(o);
        List<String> problems = OwnerPrerequisites.problems();
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("bench/run owner: " + p));
            System.exit(2);
        }
        System.exit(run(s));
    }

    /** " (round 2 of 3)", or "" with one round: for progress lines. */
    static String roundOf(int round, OwnerSettings s) {
        return s.rounds() > 1 ? " (round " + round + " of " + s.rounds() + ")" : "";
    }

    private static int run(OwnerSettings s) throws Exception {
        try (ScratchDir dir = ScratchDir.create("owner", s.keep())) {
            try (OwnerXvfb display = OwnerXvfb.start(dir.path())) {
                OwnerInputFile.Made input = OwnerInputFile.write(dir.resolve("owner-input.txt"), s.xzBytes(), s.seed());
                OwnerWorkload workload = new OwnerWorkload(dir.path(), input.path(), s.intervalUs());
                OwnerReport report = new OwnerReport(s, input, System.out);
                int cores = Runtime.getRuntime().availableProcessors();

                // Round by round, so that (d) round r is compared with (a) round r, measured minutes apart
                // (OwnerCaseResult).
                OwnerCaseResult alone = OwnerBackgroundCase.of("a", "the owner's workload alone", null);
                OwnerBurners.Priority nice0 = OwnerBurners.Priority.nice(0), nice19 = OwnerBurners.Priority.nice(19);
                OwnerCaseResult atNice0 =
                        OwnerBackgroundCase.of("b", "beside " + cores + " CPU burners " + nice0.shown(), nice0);
                OwnerCaseResult atNice19 =
                        OwnerBackgroundCase.of("c", "beside " + cores + " CPU burners " + nice19.shown(), nice19);
                OwnerCaseResult atIdle = OwnerBackgroundCase.of(
                        "f",
                        "beside " + cores + " CPU burners " + OwnerBurners.Priority.IDLE.shown(),
                        OwnerBurners.Priority.IDLE);
                OwnerCaseResult desk = OwnerDeskCase.empty();
                for (int round = 1; round <= s.rounds(); round++) {
                    if (s.runs('a')) OwnerBackgroundCase.run(alone, round, null, s, workload, display);
                    if (s.runs('b')) OwnerBackgroundCase.run(atNice0, round, nice0, s, workload, display);
                    if (s.runs('c')) OwnerBackgroundCase.run(atNice19, round, nice19, s, workload, display);
                    // (f) right before (d): the floor (d) is judged against, measured as close to it as possible.
                    if (s.runs('f'))
                        OwnerBackgroundCase.run(atIdle, round, OwnerBurners.Priority.IDLE, s, workload, display);
                    if (s.runs('d')) OwnerDeskCase.run(desk, round, s, workload, display, dir);
                }
                List<OwnerCaseResult> cases = Stream.of(alone, atNice0, atNice19, atIdle, desk)
                        .filter(c -> !c.isEmpty())
                        .toList();
                if (alone.isEmpty()) alone = null;
                if (desk.isEmpty()) desk = null;
                if (atIdle.isEmpty()) atIdle = null;
                for (OwnerCaseResult c : cases) report.printCase(c, alone, atIdle);
                YieldCase.Outcome yield = s.runs('e') ? YieldCase.run(s, display, dir) : null;
                if (yield != null) report.printYield(yield);
                report.printComparison(cases, alone, atIdle, yield);
                if (dir.kept()) System.out.println("scratch dir: " + dir.path());
                System.out.println(report.summary(alone, atIdle, desk, yield));
                return 0;
            } catch (Exception e) {
                dir.keep();
                RunFailure.report("owner", e, dir.path());
                return 1;
            }
        }
    }
}
