package org.cyphon.sim.engine;

import java.time.Instant;
import org.cyphon.core.policy.AttemptLifecycle;
import org.cyphon.core.policy.AttemptState;

/** One attempt of a job on a desk, in the state core's policy last put it. */
final class Attempt {
    final QueuedJob job;
    final long startMs;
    /** Checkpoint every this much of the attempt's run (seconds); 0 when the job cannot checkpoint. */
    final double checkpointEveryS;

    final double startS;
    /** Where core's decisions have put it and how long it has run: the same lifecycle the agent keeps. */
    AttemptLifecycle life;
    /** The job's work done so far, seconds, including what it started from. */
    double doneS;
    /** Progress per second of wall time now (0..1), before the checkpoint overhead. */
    double rate;
    /** Runs at normal priority (competes with the owner) rather than idle priority. */
    final boolean normalPriority;
    /** When a checkpoint-and-vacate finishes writing its last checkpoint; -1 when not leaving. */
    long leaveAtMs = -1;

    Attempt(QueuedJob job, long startMs, Instant startedAt, double checkpointEveryS, boolean normalPriority) {
        this.job = job;
        this.startMs = startMs;
        this.life = AttemptLifecycle.started(startedAt, job.checkpointable, false);
        this.checkpointEveryS = checkpointEveryS;
        this.startS = job.savedS;
        this.doneS = job.savedS;
        this.normalPriority = normalPriority;
    }

    AttemptState state() {
        return life.state();
    }

    boolean running() {
        return life.running();
    }

    /** Useful work per unit of progress: a checkpoint of cost c every I seconds of work costs c/(I+c). */
    double efficiency(double checkpointCostS) {
        return checkpointEveryS > 0 ? checkpointEveryS / (checkpointEveryS + checkpointCostS) : 1.0;
    }

    /** The work that survives losing this attempt now: the start plus whole checkpoint intervals done. */
    double savedNowS() {
        if (checkpointEveryS <= 0) return startS;
        double since = doneS - startS;
        return startS + Math.floor(since / checkpointEveryS) * checkpointEveryS;
    }
}
