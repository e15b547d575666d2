package org.cyphon.core.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a job's dependencies ({@code --after}, {@code --after-any}) say it may do: wait, run, or
 * never run unless a person says so. Pure: the caller reads the states of the jobs depended on.
 *
 * <p>Semantics follow Slurm's {@code afterok} / {@code afterany}: an {@code --after} job must
 * COMPLETE with exit code 0 (a job killed by a signal completes with no exit code, which is not
 * 0); an {@code --after-any} job must merely end (completed, failed or cancelled).
 */
public final class JobDependencies {
    private JobDependencies() {}

    /** @param anyEnd true: any end will do; false: a completion with exit code 0 is required */
    public record Edge(long afterId, boolean anyEnd) {}

    /** Where a job depended on is: its state, and its exit code once completed (null otherwise or on a signal). */
    public record Ending(JobState state, Integer exitCode) {}

    public enum Outcome {
        /** Some jobs depended on have not ended. */
        WAIT,
        /** Every job depended on ended as required. */
        READY,
        /** One ended otherwise than required (or does not exist): the job cannot run on its own. */
        BROKEN
    }

    /**
     * @param waitingOn for WAIT, the jobs not ended yet, in the order given
     * @param reason    for BROKEN, why (names the job and how it ended)
     */
    public record Verdict(Outcome outcome, List<Long> waitingOn, String reason) {}

    /**
     * @param states the jobs depended on, by id; a missing id counts as a job that does not exist
     */
    public static Verdict judge(List<Edge> edges, Map<Long, Ending> states) {
        List<Long> waiting = new ArrayList<>();
        for (Edge e : edges) {
            Ending end = states.get(e.afterId());
            if (end == null) return broken("job " + e.afterId() + " does not exist");
            if (!end.state().isTerminal()) {
                waiting.add(e.afterId());
                continue;
            }
            if (e.anyEnd()) continue;
            if (end.state() == JobState.COMPLETED && Integer.valueOf(0).equals(end.exitCode())) continue;
            return broken("job " + e.afterId() + " " + how(end)
                    + "; this job runs only after it completes with exit code 0 (release it to run it anyway)");
        }
        return waiting.isEmpty()
                ? new Verdict(Outcome.READY, List.of(), null)
                : new Verdict(Outcome.WAIT, List.copyOf(waiting), null);
    }

    private static String how(Ending end) {
        if (end.state() == JobState.COMPLETED)
            return end.exitCode() == null ? "was killed by a signal" : "exited with code " + end.exitCode();
        return end.state() == JobState.FAILED ? "failed" : "was " + end.state().wireName();
    }

    private static Verdict broken(String reason) {
        return new Verdict(Outcome.BROKEN, List.of(), reason);
    }
}
