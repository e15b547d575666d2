package org.cyphon.bench;

import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bench/run owner}: what Cyphon's jobs cost the person at the desk. A real owner workload —
 * cyclictest's wake-up latency while {@code xz -9} compresses a fixed file — run (a) alone, (b)
 * beside a CPU burner per core at nice 0, (c) the same at nice 19, (d) beside Cyphon's jobs on a
 * real agent with the {@code desktop} policy while the owner types; and (e) how fast a
 * {@code strict} desk's job stops when a key is pressed, measured from outside the agent.
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
                OwnerCaseResult nice0 = OwnerBackgroundCase.of("b", "beside " + cores + " CPU burners at nice 0", 0);
                OwnerCaseResult nice19 = OwnerBackgroundCase.of("c", "beside " + cores + " CPU burners at nice 19", 19);
                OwnerCaseResult desk = OwnerDeskCase.empty();
                for (int round = 1; round <= s.rounds(); round++) {
                    if (s.runs('a')) OwnerBackgroundCase.run(alone, round, null, s, workload, display);
                    if (s.runs('b')) OwnerBackgroundCase.run(nice0, round, 0, s, workload, display);
                    if (s.runs('c')) OwnerBackgroundCase.run(nice19, round, 19, s, workload, display);
                    if (s.runs('d')) OwnerDeskCase.run(desk, round, s, workload, display, dir);
                }
                List<OwnerCaseResult> cases = Stream.of(alone, nice0, nice19, desk)
                        .filter(c -> !c.isEmpty())
                        .toList();
                if (alone.isEmpty()) alone = null;
                if (desk.isEmpty()) desk = null;
                for (OwnerCaseResult c : cases) report.printCase(c, alone);
                YieldCase.Outcome yield = s.runs('e') ? YieldCase.run(s, display, dir) : null;
                if (yield != null) report.printYield(yield);
                report.printComparison(cases, alone, yield);
                if (dir.kept()) System.out.println("scratch dir: " + dir.path());
                System.out.println(report.summary(alone, desk, yield));
                return 0;
            } catch (Exception e) {
                dir.keep();
                RunFailure.report("owner", e, dir.path());
                return 1;
            }
        }
    }
}
