package org.cyphon.sim.engine;

import java.time.Instant;
import java.util.List;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.LoadSeen;
import org.cyphon.core.owner.OwnerObservations;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.PresenceInterval;
import org.cyphon.core.owner.SessionsSeen;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.sim.owners.DeskTrace;

/**
 * The owner trace replayed on one desk: each owner change becomes signals folded into
 * {@link OwnerObservations}, as the agent's sensors report them (arrival: an idle inhibitor held by
 * the owner and an input; departure: the inhibitor released and a last input; every demand change:
 * a {@link LoadSeen}), then core decides for the desk. Each desk's {@link UsageProfile} learns every
 * owner interval when it ends (never ahead).
 */
final class OwnerChanges {
    private static final String SRC = "trace";

    private final RunState s;
    private final DeskTime time;
    private final DeskDecisions decisions;
    private final PowerModel power;

    OwnerChanges(RunState s, DeskTime time, DeskDecisions decisions, PowerModel power) {
        this.s = s;
        this.time = time;
        this.decisions = decisions;
        this.power = power;
    }

    /** The owner trace's next segment for the desk starts (or a gap: the desk is off) at {@code t}. */
    void change(Desk d, long t) {
        time.advance(d, t);
        DeskTrace tr = d.trace;
        while (d.cursor < tr.segments() && tr.endMs()[d.cursor] <= t) d.cursor++;
        OwnerState next;
        double cpus;
        long nextChange;
        if (d.cursor < tr.segments() && tr.startMs()[d.cursor] <= t) {
            next = tr.state()[d.cursor];
            float c = tr.ownerCpus()[d.cursor];
            cpus = next == OwnerState.PRESENT ? (Float.isNaN(c) ? s.cfg.ownerCpusWhilePresent() : c) : 0;
            cpus = Math.min(cpus, d.cores);
            nextChange = tr.endMs()[d.cursor];
        } else {
            next = OwnerState.OFF;
            cpus = 0;
            nextChange = d.cursor < tr.segments() ? tr.startMs()[d.cursor] : Long.MAX_VALUE;
        }
        if (nextChange < s.horizonMs) s.events.push(nextChange, EventQueue.OWNER, d.index, 0);

        OwnerState was = d.state;
        Instant at = s.instant(t);
        if (d.asleep && next != OwnerState.AWAY) {
            // The owner wakes it by arriving (a key, the power button); switched off, it sleeps no more.
            d.asleep = false;
            d.resumingAtMs = -1;
            d.resumeVersion++;
            d.quietSinceMs = t;
        }
        if (next != was) {
            if (d.stateKnown && was != OwnerState.OFF && t > d.stateSinceMs) {
                d.profile = d.profile.observe(new PresenceInterval(s.instant(d.stateSinceMs), at, was));
            }
            d.stateKnown = true;
            d.stateSinceMs = t;
        }
        if (next == OwnerState.OFF) {
            if (was == OwnerState.PRESENT) closeEpisode(d);
            d.state = OwnerState.OFF;
            d.ownerCpus = 0;
            power.powerOff(d, t);
            return;
        }
        if (was == OwnerState.OFF) {
            // The desk boots: its agent starts watching now, and the owner counts as idle since then.
            d.observations = OwnerObservations.startingAt(at, s.settings.presence());
            d.quietSinceMs = t;
        }
        OwnerObservations o = d.observations;
        if (next == OwnerState.PRESENT && was != OwnerState.PRESENT) {
            o = o.with(new SessionsSeen(SRC, at, List.of(), List.of("owner at the desk (trace)")))
                    .with(new InputSeen(SRC, at, at));
            s.acc.ownerArrivals++;
            d.episodeUnserved = 0;
        } else if (next != OwnerState.PRESENT && was == OwnerState.PRESENT) {
            o = o.with(new SessionsSeen(SRC, at, List.of(), List.of())).with(new InputSeen(SRC, at, at));
            closeEpisode(d);
        }
        if (cpus != d.ownerCpus || was == OwnerState.OFF || next != was) {
            o = o.with(new LoadSeen(SRC, at, cpus, d.cores, -1, -1, -1));
        }
        d.observations = o;
        d.state = next;
        d.ownerCpus = cpus;
        decisions.evaluate(d, t);
    }

    /** The owner's presence ends: it was visible if more of the owner's demand went unserved than allowed. */
    void closeEpisode(Desk d) {
        if (d.episodeUnserved > s.cfg.visibleUnservedCpuSeconds()) s.acc.ownerVisibleEvents++;
        d.episodeUnserved = 0;
    }
}
