package org.cyphon.sim.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cyphon.core.owner.PresenceFusion;
import org.cyphon.core.policy.Action;
import org.cyphon.core.policy.AttemptFacts;
import org.cyphon.core.policy.AttemptLifecycle;
import org.cyphon.core.policy.AttemptState;
import org.cyphon.core.policy.Decision;
import org.cyphon.core.policy.MachineFacts;
import org.cyphon.core.policy.Policy;
import org.cyphon.core.policy.PolicyInput;
import org.cyphon.core.power.IdleSleep;

/**
 * Core's decisions for one desk, as the agent's policy loop takes them ({@code OwnerFirst}):
 * presence is fused by {@link PresenceFusion}; {@link Policy#mayStart} says whether the desk offers
 * room and {@link Policy#decide} what each attempt does, applied through core's
 * {@link AttemptLifecycle} exactly as the agent applies it; the desk wakes again at the earliest
 * {@code reconsiderAt} (or when a job finishes or a checkpoint is written).
 */
final class DeskDecisions {
    private static final int SAME = 0;
    private static final int CHANGED = 1;
    private static final int GONE = 2;

    private final RunState s;
    private final AttemptEnds ends;
    private final PowerModel power;

    DeskDecisions(RunState s, AttemptEnds ends, PowerModel power) {
        this.s = s;
        this.ends = ends;
        this.power = power;
    }

    void evaluate(Desk d, long t) {
        if (!d.on() || d.asleep) return;
        boolean wasOpen = d.open();
        Instant now = s.instant(t);
        d.presence = PresenceFusion.fuse(d.observations, now);
        long next = Long.MAX_VALUE;
        for (int pass = 0; pass < 3; pass++) {
            MachineFacts machine = new MachineFacts(d.cores, d.heldCpus(), d.zone);
            d.start = s.policy.mayStart(now, d.presence, machine);
            s.acc.decisions++;
            next = s.ms(d.start.reconsiderAt());
            boolean removed = false;
            for (Attempt a : List.copyOf(d.attempts)) {
                Decision dec = null;
                for (int round = 0; round < 4; round++) {
                    dec = s.policy.decide(new PolicyInput(now, d.presence, machine, facts(a, now)));
                    s.acc.decisions++;
                    int applied = apply(d, a, dec, t);
                    if (applied == GONE) {
                        removed = true;
                        dec = null;
                        break;
                    }
                    if (applied == SAME) break;
                }
                if (dec != null) next = Math.min(next, s.ms(dec.reconsiderAt()));
            }
            if (!removed) break;
        }
        DeskTime.rates(d);
        for (Attempt a : d.attempts) {
            if (a.running() && a.rate > 0) {
                double left = a.job.runtimeS - a.doneS;
                long finish = t + Math.max(1, (long) Math.ceil(left / (a.rate * a.efficiency(s.ckptCostS)) * 1000));
                next = Math.min(next, finish);
            }
            if (a.state() == AttemptState.VACATING && a.leaveAtMs >= 0)
                next = Math.min(next, Math.max(a.leaveAtMs, t + 1));
        }
        if (s.idleSleep != null && d.attempts.isEmpty()) {
            IdleSleep.Decision idle = s.idleSleep.decide(now, d.presence, 0, s.instant(d.quietSinceMs));
            if (idle.sleep()) {
                power.sleep(d);
                return;
            }
            next = Math.min(next, s.ms(idle.reconsiderAt()));
        }
        s.scheduleWake(d, next, t);
        if (!wasOpen && d.open()) s.requestPlacement(t);
    }

    /**
     * Applies one decision through core's {@link AttemptLifecycle}, as the agent does, and carries out
     * its effects on the simulated attempt; returns whether the attempt's state changed or it left.
     */
    private int apply(Desk d, Attempt a, Decision dec, long t) {
        AttemptLifecycle.Transition tr = a.life.apply(dec, s.instant(t));
        a.life = tr.to();
        if (!tr.changed()) return SAME;
        if (dec.action() == Action.KILL) s.acc.kills++;
        else if (tr.to().state() == AttemptState.VACATING) s.acc.vacates++;
        else if (tr.to().state() == AttemptState.FROZEN) s.acc.freezes++;
        // Freeze, thaw and the linger caps need nothing more here: rates() follows the state.
        if (tr.has(AttemptLifecycle.Effect.KILL)) {
            // Killed, or asked to leave with no checkpoint to write: it keeps only what was saved.
            ends.end(d, a, t, a.savedNowS());
            return GONE;
        }
        if (tr.has(AttemptLifecycle.Effect.SIGNAL_CHECKPOINT))
            a.leaveAtMs = t + s.cfg.checkpointCost().toMillis();
        return CHANGED;
    }

    private AttemptFacts facts(Attempt a, Instant now) {
        Duration remaining = null;
        Duration expected = PendingQueue.view(a.job, s.learned.estimates()).expectedRuntime();
        if (expected != null) {
            long left = expected.toMillis() - Math.round(a.doneS * 1000);
            remaining = Duration.ofMillis(Math.max(0, left));
        }
        return a.life.facts(now, remaining);
    }
}
