package org.cyphon.core.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.text.Durations;

/**
 * Decides only on ticks of {@code evaluate_every} (multiples of the period since the epoch), the
 * way HTCondor's startd polls every 5 s and BOINC every 10 s. Between ticks an attempt keeps its
 * state, so a replay shows their slower reaction: an owner who starts typing 1.3 s after a tick
 * waits 3.7 s for the freeze. Cyphon's own presets decide on every signal instead.
 *
 * <p>A call within a tenth of the period (at most 500 ms) after a tick counts as on the tick, so an
 * agent whose timer fires a little late still evaluates; the simulator passes the tick itself.
 * Every {@code reconsiderAt} is the first tick at which the decision changes.
 *
 * <p>Starting new work is treated the same way, except that a fresh reason not to start (the
 * owner just came back) counts at once: refusing work never hurts the owner.
 */
final class OnTicks implements Policy {
    private final Policy inner;
    private final long periodMillis;
    private final long toleranceMillis;

    OnTicks(Policy inner) {
        this.inner = inner;
        this.periodMillis = inner.settings().evaluateEvery().toMillis();
        this.toleranceMillis = Math.min(periodMillis / 10, 500);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public PolicySettings settings() {
        return inner.settings();
    }

    @Override
    public Decision decide(PolicyInput in) {
        if (onTick(in.now())) {
            Decision d = inner.decide(in);
            return d.withReconsiderAt(ceil(d.reconsiderAt()));
        }
        Instant next = nextTick(in.now());
        AttemptState state = in.attempt().state();
        Action hold = switch (state) {
            case RUNNING -> Action.RUN;
            case LINGERING -> Action.LINGER;
            case FROZEN -> Action.FREEZE;
            case VACATING -> Action.CHECKPOINT_AND_VACATE;
        };
        // Wake at the next tick only if something will happen there; else at the first tick that changes.
        Decision atNext = inner.decide(in.at(next));
        Instant reconsider = atNext.action() != hold ? next : ceil(atNext.reconsiderAt());
        return new Decision(
                hold,
                List.of(waiting(next) + "; until then the attempt stays " + state.celName()),
                reconsider,
                hold == Action.LINGER ? settings().lingerCaps() : null);
    }

    @Override
    public StartDecision mayStart(Instant now, Presence presence, MachineFacts machine) {
        StartDecision fresh = inner.mayStart(now, presence, machine);
        if (onTick(now) || !fresh.allowed()) return fresh.withReconsiderAt(ceil(fresh.reconsiderAt()));
        Instant tick = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), periodMillis) * periodMillis);
        StartDecision atTick = inner.mayStart(tick, presence.at(tick), machine);
        if (atTick.allowed()) return fresh.withReconsiderAt(ceil(fresh.reconsiderAt()));
        Instant next = nextTick(now);
        StartDecision atNext = inner.mayStart(next, presence.at(next), machine);
        List<String> reasons = new ArrayList<>(atTick.reasons());
        reasons.add(waiting(next));
        return new StartDecision(false, false, reasons, atNext.allowed() ? next : ceil(atNext.reconsiderAt()));
    }

    private String waiting(Instant next) {
        return "policy evaluated every " + Durations.format(settings().evaluateEvery())
                + " (evaluate_every): next evaluation at " + next;
    }

    private boolean onTick(Instant now) {
        return Math.floorMod(now.toEpochMilli(), periodMillis) < toleranceMillis;
    }

    private Instant nextTick(Instant now) {
        return Instant.ofEpochMilli((Math.floorDiv(now.toEpochMilli(), periodMillis) + 1) * periodMillis);
    }

    /** The first tick at or after {@code t}; null stays null. */
    private Instant ceil(Instant t) {
        if (t == null) return null;
        long ms = t.toEpochMilli();
        boolean exact =
                Math.floorMod(ms, periodMillis) == 0 && Instant.ofEpochMilli(ms).equals(t);
        return exact ? t : Instant.ofEpochMilli((Math.floorDiv(ms, periodMillis) + 1) * periodMillis);
    }
}
