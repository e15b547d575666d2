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

    /**
     * A cycle among {@code nodes} numbered 0..n-1 where {@code edges[k] = {child, parent}}, as the
     * nodes along it (first repeated at the end), or an empty list when there is none. Jobs can
     * only depend on jobs that exist, so cycles are possible only among jobs submitted together.
     */
    public static List<Integer> cycle(int nodes, List<int[]> edges) {
        List<List<Integer>> parents = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) parents.add(new ArrayList<>());
        for (int[] e : edges) parents.get(e[0]).add(e[1]);
        int[] mark = new int[nodes]; // 0 unseen, 1 on the current path, 2 done
        int[] via = new int[nodes];
        for (int start = 0; start < nodes; start++) {
            if (mark[start] != 0) continue;
            // Iterative depth-first search: a DAG of thousands of nodes must not overflow the stack.
            java.util.ArrayDeque<int[]> stack = new java.util.ArrayDeque<>();
            stack.push(new int[] {start, 0});
            mark[start] = 1;
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                List<Integer> ps = parents.get(top[0]);
                if (top[1] == ps.size()) {
                    mark[top[0]] = 2;
                    stack.pop();
                    continue;
                }
                int next = ps.get(top[1]++);
                if (mark[next] == 1) {
                    List<Integer> out = new ArrayList<>();
                    out.add(next);
                    for (int n = top[0]; n != next; n = via[n]) out.add(n);
                    out.add(next);
                    java.util.Collections.reverse(out);
                    return out;
                }
                if (mark[next] == 0) {
                    mark[next] = 1;
                    via[next] = top[0];
                    stack.push(new int[] {next, 0});
                }
            }
        }
        return List.of();
    }
}
