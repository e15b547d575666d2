package org.cyphon.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cases (a)-(c) and (f): the owner's workload with nothing beside it, then beside one plain burner
 * per core at nice 0, at nice 19 and at SCHED_IDLE — the baselines Cyphon's case (d) is judged
 * against ((f) is its floor: jobs can cost the owner no less than idle-priority burners do, so what
 * (d) costs beyond (f) is the agent's own work). The owner types throughout, as in (d), so the only
 * difference between cases is the background.
 */
final class OwnerBackgroundCase {
    private OwnerBackgroundCase() {}

    /** An empty result for the case; {@code burners} null for (a), no background at all. */
    static OwnerCaseResult of(String key, String title, OwnerBurners.Priority burners) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new OwnerCaseResult(
                key,
                title,
                burners == null
                        ? "none"
                        : cores + " x `" + OwnerBurners.LOOP_SHOWN + "` " + burners.shown()
                                + ", the benchmark's children, in its cgroup");
    }

    /** One round of the case, added to {@code into}. */
    static void run(
            OwnerCaseResult into,
            int round,
            OwnerBurners.Priority burnerPriority,
            OwnerSettings s,
            OwnerWorkload workload,
            OwnerXvfb display)
            throws Exception {
        System.err.println(
                "bench/run owner: (" + into.key() + ") " + into.title() + OwnerBenchmark.roundOf(round, s) + "...");
        OwnerTypist typist = null;
        try (OwnerBurners burners = burnerPriority == null
                ? null
                : OwnerBurners.start(Runtime.getRuntime().availableProcessors(), burnerPriority)) {
            Map<String, List<Long>> groups = new LinkedHashMap<>();
            if (burners != null) groups.put("burners", burners.pids());
            groups.put("Xvfb", List.of(display.pid()));
            typist = OwnerTypist.start(display, s.typeEvery());
            Thread.sleep(s.settle().toMillis());
            into.add(round, OwnerRounds.run(s, into.key(), round, (label, attempt) -> workload.run(label, groups)));
        } finally {
            if (typist != null) typist.close();
        }
        into.observed()
                .put(
                        "typist",
                        typist.keys() + " xdotool key presses on :" + display.number() + " (last round)"
                                + (typist.failure() != null ? "; FAILED: " + typist.failure() : ""));
    }
}
