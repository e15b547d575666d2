package org.cyphon.sim.report;

import java.util.Locale;
import org.cyphon.sim.engine.PolicyResult;
import org.cyphon.sim.engine.SimResult;

/** The terminal table: one row per policy, then the inputs and the stated factors. */
public final class TableReport {
    private TableReport() {}

    public static String render(SimResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%-17s %8s %13s %8s %12s %9s %9s %10s %9s %10s%n",
                "policy",
                "harvest",
                "interference",
                "visible",
                "wasted",
                "done",
                "unfinished",
                "mean wait",
                "bsld",
                "makespan"));
        b.append(String.format(
                Locale.ROOT,
                "%-17s %8s %13s %8s %12s %9s %9s %10s %9s %10s%n",
                "",
                "(eff.)",
                "(CPU-h)",
                "(events)",
                "(CPU-h)",
                "(jobs)",
                "(jobs)",
                "(h)",
                "",
                "(h)"));
        for (PolicyResult p : r.policies()) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-17s %7.1f%% %13.2f %8d %12.1f %9d %9d %10s %9s %10s%n",
                    p.name(),
                    100 * p.harvestEfficiency(),
                    p.ownerInterferenceCpuSeconds() / 3600,
                    p.ownerVisibleEvents(),
                    p.wastedCpuSeconds() / 3600,
                    p.jobsCompleted(),
                    p.jobsUnfinished(),
                    orNa(p.meanWaitSeconds() / 3600, 2),
                    orNa(p.meanBoundedSlowdown(), 2),
                    orNa(p.makespanSeconds() / 3600, 1)));
        }
        b.append('\n');
        b.append(USEFUL_WORK);
        String sep = " ";
        for (PolicyResult p : r.policies()) {
            b.append(String.format(Locale.ROOT, "%s%s %.1f CPU-h", sep, p.name(), p.inProgressCpuSeconds() / 3600));
            sep = ", ";
        }
        b.append('\n');
        b.append("owners: ").append(r.ownerSource()).append('\n');
        if (r.presenceRule() != null)
            b.append("presence: ").append(r.presenceRule()).append('\n');
        b.append("jobs: ").append(r.jobSource()).append(String.format(Locale.ROOT, " (%d jobs", r.jobsInTrace()));
        if (r.jobsSkippedByReader() > 0)
            b.append(", ").append(r.jobsSkippedByReader()).append(" skipped: no run time or processors");
        if (r.jobsCpuCapped() > 0)
            b.append(", ")
                    .append(r.jobsCpuCapped())
                    .append(" capped to ")
                    .append(r.config().cores())
                    .append(" CPUs");
        b.append(")")
                .append(r.config().saturate() ? " + a never-empty queue of synthetic jobs" : "")
                .append('\n');
        long leftOut = r.policies().isEmpty() ? 0 : r.policies().getFirst().jobsLeftOut();
        b.append(String.format(
                Locale.ROOT,
                "%d desks x %.1f days from %s; %d jobs left out (submitted after the owner trace ends)%n",
                r.desks(),
                r.horizonMs() / 86_400_000.0,
                r.origin(),
                leftOut));
        b.append(String.format(
                Locale.ROOT,
                "linger slowdown factor %.3f (bench/run owner: owner beside idle-priority jobs ~0 within noise,"
                        + " beside nice-19 burners -2.2%%); owner demand while present %.2f CPUs unless a CPU series gives it;%n"
                        + "checkpoint cost %ds, %.0f%% of jobs checkpointable; %s%n",
                r.config().lingerSlowdown(),
                r.config().ownerCpusWhilePresent(),
                r.config().checkpointCost().toSeconds(),
                100 * r.config().checkpointable(),
                priorities(r.config().normalPriority())));
        return b.toString();
    }

    /** How harvest counts work, for every output that shows it (docs/simulator.md, Metrics). */
    public static final String USEFUL_WORK =
            "harvest counts completed jobs' work and what checkpoints saved of the others; in progress at the"
                    + " horizon, saved by no checkpoint (neither harvest nor wasted):";

    /** The figure with {@code places} decimals, or "n/a" when it has no value (NaN: no job completed). */
    static String orNa(double v, int places) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + places + "f", v);
    }

    /** "htcondor-desktop jobs at normal priority, all others at idle priority", or "all jobs at idle priority". */
    private static String priorities(java.util.Collection<String> normal) {
        java.util.Set<String> named = new java.util.TreeSet<>(normal);
        named.remove("");
        return named.isEmpty()
                ? "all jobs at idle priority"
                : String.join(", ", named) + " jobs at normal priority, all others at idle priority";
    }
}
