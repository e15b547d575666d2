package org.cyphon.sim.engine;

import java.time.Duration;
import org.cyphon.core.schedule.RuntimeEstimates;

/**
 * An attempt leaves its desk: finished, or unfinished with the work it keeps. Either way its use is
 * charged to fair share, the desk's quiet time starts, and a placement pass is asked for.
 */
final class AttemptEnds {
    private final RunState s;
    private final ResultTally tally;

    AttemptEnds(RunState s, ResultTally tally) {
        this.s = s;
        this.tally = tally;
    }

    void complete(Desk d, Attempt a, long t) {
        d.detach(a);
        QueuedJob j = a.job;
        j.endMs = t;
        tally.completed(j, t);
        if (j.name != null) {
            s.learned.completed(
                    new RuntimeEstimates.Completion(j.user, j.name, Duration.ofMillis(Math.round(j.runtimeS * 1000))));
        }
        s.learned.charge(j.user, (a.doneS - a.startS) * j.cpus, s.instant(t));
        quietFrom(d, t);
        s.requestPlacement(t);
    }

    /** An attempt leaves unfinished: the job keeps {@code keptS} of its work and waits again. */
    void end(Desk d, Attempt a, long t, double keptS) {
        d.detach(a);
        QueuedJob j = a.job;
        double lost = Math.max(0, a.doneS - keptS);
        s.acc.wastedCpuS += lost * j.cpus;
        s.learned.charge(j.user, (a.doneS - a.startS) * j.cpus, s.instant(t));
        j.savedS = Math.max(j.savedS, keptS);
        s.pending.add(j);
        quietFrom(d, t);
        s.requestPlacement(t);
    }

    /**
     * An attempt left the desk, possibly outside {@link DeskDecisions#evaluate} (a placement pass
     * caught it finishing): its quiet time starts now, and a desk that may sleep must look again
     * when it is due.
     */
    private void quietFrom(Desk d, long t) {
        d.quietSinceMs = t;
        if (s.idleSleep == null || !d.attempts.isEmpty() || !d.on() || d.asleep) return;
        long due = t + s.power.suspendWhenIdle().toMillis();
        if (due < d.scheduledWakeMs) s.scheduleWake(d, due, t);
    }
}
