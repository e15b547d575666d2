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
        b.append(power(r));
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

    /**
     * Work lost to desks switching off, and the desks' hours awake, asleep and off with their energy
     * by the stated watts model (docs/simulator.md, Power).
     */
    static String power(SimResult r) {
        org.cyphon.sim.engine.PowerSettings ps = r.config().power();
        StringBuilder b = new StringBuilder();
        b.append(
                ps.announced()
                        ? String.format(
                                Locale.ROOT,
                                "shutdowns announced, %ds for checkpoints (logind's delay lock)",
                                ps.shutdownDelay().toSeconds())
                        : "shutdowns not announced (power cut; an agent without logind's delay lock)");
        b.append(
                ps.sleeps()
                        ? String.format(
                                Locale.ROOT,
                                "; desks sleep after %s idle without work, at most %d wake-ups an hour, %ds to resume",
                                org.cyphon.core.text.Durations.format(ps.suspendWhenIdle()),
                                ps.maxAwake(),
                                ps.resumeTime().toSeconds())
                        : "; desks never sleep");
        b.append(String.format(
                Locale.ROOT,
                "; watts awake %s, asleep %s, off %s (defaults: ENERGY STAR 4.0 desktop limits)%n",
                watts(ps.watts().awake()),
                watts(ps.watts().asleep()),
                watts(ps.watts().off())));
        for (PolicyResult p : r.policies()) {
            var f = p.power();
            b.append(String.format(
                    Locale.ROOT,
                    "%-17s lost to power-off %.1f CPU-h, %.1f of it checkpointable (%d attempts; %d checkpointed at shutdown);"
                            + " desk-hours awake %.0f, asleep %.0f, off %.0f; %d sleeps, %d wake-ups; %.1f kWh%n",
                    p.name(),
                    f.cpuSecondsLostToPowerOff() / 3600,
                    f.checkpointableCpuSecondsLostToPowerOff() / 3600,
                    p.attemptsLostToPowerOff(),
                    f.attemptsCheckpointedAtShutdown(),
                    f.awakeDeskSeconds() / 3600,
                    f.asleepDeskSeconds() / 3600,
                    f.offDeskSeconds() / 3600,
                    f.sleeps(),
                    f.wakeUps(),
                    f.energyKWh()));
        }
        return b.toString();
    }

    private static String watts(double w) {
        return w == Math.rint(w) ? String.format(Locale.ROOT, "%.0f W", w) : String.format(Locale.ROOT, "%.1f W", w);
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
