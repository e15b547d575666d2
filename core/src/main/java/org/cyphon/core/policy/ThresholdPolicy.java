package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.text.Durations;

/**
 * The presets' policy: decisions from named thresholds ({@link PolicySettings}).
 *
 * <p>Running work, in order: a hard stop (outside the window, on battery, an exclusive app, the
 * GPU rules for GPU work) freezes it; owner demand above the limits for {@code contend_for} (once
 * the attempt ran {@code contend_after_run}) freezes it unless it will finish within
 * {@code finish_within}; a present owner makes it linger, freeze or run ({@code when_present});
 * otherwise it runs.
 *
 * <p>Frozen work thaws when nothing stops it, the owner's demand is below the limits (and at most
 * {@code start_owner_cpu_max}), and either the owner has been idle {@code thaw_after_idle} or, when
 * present owners do not freeze work, their demand has been calm for {@code calm_for}. Thawing is
 * checked before leaving, so work that may thaw is not sent away. Otherwise a checkpointable attempt
 * frozen for {@code vacate_after_frozen} is told to checkpoint and leave (one that cannot
 * checkpoint only after {@code vacate_uncheckpointable_after}, if set), and a leaving attempt is
 * killed after {@code vacate_grace}.
 *
 * <p>Thresholds are inclusive: "idle 5 min" holds from the instant idle time reaches 5 min, which
 * is the instant {@code reconsiderAt} names.
 */
final class ThresholdPolicy implements Policy {
    private final PolicySettings s;

    ThresholdPolicy(PolicySettings settings) {
        this.s = settings;
    }

    @Override
    public String name() {
        return s.preset();
    }

    @Override
    public PolicySettings settings() {
        return s;
    }

    @Override
    public StartDecision mayStart(Instant now, Presence presence, MachineFacts machine) {
        Situation x = Situation.of(s, now, presence, machine);
        StartDecision d = start(x);
        Instant next = NextChange.find(now, x.candidates(), t -> !start(x.at(t)).sameAnswer(d));
        return d.withReconsiderAt(next);
    }

    @Override
    public Decision decide(PolicyInput in) {
        Situation x = Situation.of(s, in.now(), in.presence(), in.machine());
        Decision d = judge(x, in.attempt());
        Instant next = NextChange.find(
                in.now(),
                candidates(x, in.attempt()),
                t -> judge(x.at(t), in.at(t).attempt()).action() != d.action());
        return d.withReconsiderAt(next);
    }

    private StartDecision start(Situation x) {
        List<String> stops = x.stops();
        if (!stops.isEmpty()) return new StartDecision(false, false, stops, null);
        Duration idle = x.idle();
        if (idle.compareTo(s.startAfterIdle()) < 0 && s.startWhilePresent()) {
            // Work that starts now lingers from its first second (idle priority, linger caps): as
            // harmless to the owner as work that was already running when they came back.
            if (x.contention.over())
                return new StartDecision(false, false, List.of("owner demand high: " + x.contention.why()), null);
            if (!x.startCpuOk()) return new StartDecision(false, false, List.of(x.startCpuWhy()), null);
            List<String> reasons = new ArrayList<>();
            reasons.add((x.present() ? "owner present: " : "owner idle only " + fmt(idle) + ": ")
                    + x.presence.activity() + "; new work may start lingering (start_while_present = linger)");
            reasons.add(x.contention.why());
            String gpu = x.gpuStop();
            if (gpu != null) reasons.add(gpu);
            return new StartDecision(true, gpu == null, reasons, null);
        }
        if (idle.compareTo(s.startAfterIdle()) < 0) {
            return new StartDecision(
                    false,
                    false,
                    List.of((x.present() ? "owner present: " : "owner idle only " + fmt(idle) + ": ")
                            + x.presence.activity() + "; new work starts after " + fmt(s.startAfterIdle())
                            + " idle (start_after_idle)"),
                    null);
        }
        if (x.contention.over())
            return new StartDecision(false, false, List.of("owner demand high: " + x.contention.why()), null);
        if (!x.startCpuOk()) return new StartDecision(false, false, List.of(x.startCpuWhy()), null);
        List<String> reasons = new ArrayList<>();
        reasons.add("owner idle " + x.idleForText() + " (start_after_idle = " + fmt(s.startAfterIdle()) + "): "
                + x.presence.activity());
        reasons.add(x.contention.why());
        String gpu = x.gpuStop();
        if (gpu != null) reasons.add(gpu);
        return new StartDecision(true, gpu == null, reasons, null);
    }

    private Decision judge(Situation x, AttemptFacts a) {
        return switch (a.state()) {
            case RUNNING, LINGERING -> running(x, a);
            case FROZEN -> frozen(x, a);
            case VACATING -> VacateGrace.decide(s, x.now, a);
        };
    }

    private Decision running(Situation x, AttemptFacts a) {
        List<String> stops = x.stops(a.usesGpu());
        if (!stops.isEmpty()) return decision(Action.FREEZE, stops);
        List<String> reasons = new ArrayList<>();
        if (x.contended() && a.ranFor().compareTo(s.contendAfterRun()) >= 0) {
            String high = "owner demand high for " + fmt(x.contention.overFor(x.now)) + " (contend_for = "
                    + fmt(s.contendFor()) + "): " + x.contention.why();
            if (!finishingSoon(a)) return decision(Action.FREEZE, List.of(high));
            reasons.add(high + "; but the attempt should finish within " + fmt(a.remaining())
                    + ", so it finishes at idle priority");
        }
        if (x.present()) {
            String who = "owner present: " + x.presence.activity();
            return switch (s.whenPresent()) {
                case LINGER -> {
                    reasons.add(who);
                    reasons.add(x.contention.why() + ": linger at idle priority with capped memory and I/O");
                    yield new Decision(Action.LINGER, reasons, null, s.lingerCaps());
                }
                case FREEZE -> decision(Action.FREEZE, List.of(who + " (when_present = freeze)"));
                case RUN -> {
                    reasons.add(who + "; work carries on (when_present = run)");
                    yield decision(Action.RUN, reasons);
                }
            };
        }
        reasons.add("owner away, idle " + x.idleForText() + ": " + x.presence.activity());
        return decision(Action.RUN, reasons);
    }

    private Decision frozen(Situation x, AttemptFacts a) {
        List<String> stops = x.stops(a.usesGpu());
        String hold;
        if (!stops.isEmpty()) {
            hold = String.join("; ", stops);
        } else if (x.contention.over()) {
            hold = "owner demand high: " + x.contention.why();
        } else if (!x.startCpuOk()) {
            hold = x.startCpuWhy();
        } else {
            boolean idlePath = x.idle().compareTo(s.thawAfterIdle()) >= 0;
            Duration calm = x.contention.calmFor(x.now);
            boolean calmPath = s.whenPresent() != WhenPresent.FREEZE && calm.compareTo(s.calmFor()) >= 0;
            if (idlePath || calmPath) {
                boolean linger = s.whenPresent() == WhenPresent.LINGER && x.present();
                String why = idlePath
                        ? "owner idle " + x.idleForText() + " (thaw_after_idle = " + fmt(s.thawAfterIdle()) + ")"
                        : "owner demand below the limits "
                                + (x.contention.known() ? "for " + fmt(calm) : "(no load sensor)") + " (calm_for = "
                                + fmt(s.calmFor()) + ")";
                return new Decision(
                        Action.THAW,
                        List.of(why + (linger ? ": thaw and linger beside the owner" : ": thaw"), x.contention.why()),
                        null,
                        linger ? s.lingerCaps() : null);
            }
            hold = "owner active " + fmt(x.idle()) + " ago (" + x.presence.activity() + "); thaws after "
                    + fmt(s.thawAfterIdle()) + " idle"
                    + (s.whenPresent() == WhenPresent.FREEZE
                            ? ""
                            : " or " + fmt(s.calmFor()) + " of calm (calm so far " + fmt(calm) + ")");
        }
        Duration frozenFor = between(a.since(), x.now);
        if (finishingSoon(a)) {
            return decision(
                    Action.FREEZE,
                    List.of(
                            hold,
                            "expected to finish within " + fmt(a.remaining())
                                    + " once thawed: stays rather than leave"));
        }
        if (a.checkpointable() && reached(frozenFor, s.vacateAfterFrozen())) {
            return decision(
                    Action.CHECKPOINT_AND_VACATE,
                    List.of(
                            "frozen for " + fmt(frozenFor) + " (vacate_after_frozen = " + fmt(s.vacateAfterFrozen())
                                    + "): checkpoint and leave",
                            hold));
        }
        if (!a.checkpointable() && reached(frozenFor, s.vacateUncheckpointableAfter())) {
            return decision(
                    Action.CHECKPOINT_AND_VACATE,
                    List.of(
                            "frozen for " + fmt(frozenFor)
                                    + " and cannot checkpoint (vacate_uncheckpointable_after = "
                                    + fmt(s.vacateUncheckpointableAfter())
                                    + "): leave; its work since it started is lost",
                            hold));
        }
        return decision(Action.FREEZE, List.of(hold));
    }

    private List<Instant> candidates(Situation x, AttemptFacts a) {
        List<Instant> c = x.candidates();
        if (s.vacateAfterFrozen() != null) c.add(a.since().plus(s.vacateAfterFrozen()));
        if (s.vacateUncheckpointableAfter() != null) c.add(a.since().plus(s.vacateUncheckpointableAfter()));
        if (a.state() == AttemptState.VACATING) c.add(VacateGrace.endsAt(s, a));
        if (a.running()) {
            c.add(x.now.plus(s.contendAfterRun()).minus(a.ranFor()));
            if (a.remaining() != null) c.add(x.now.plus(a.remaining()).minus(s.finishWithin()));
        }
        return c;
    }

    private boolean finishingSoon(AttemptFacts a) {
        return !s.finishWithin().isZero()
                && a.remaining() != null
                && a.remaining().compareTo(s.finishWithin()) <= 0;
    }

    private static boolean reached(Duration d, Duration threshold) {
        return threshold != null && d.compareTo(threshold) >= 0;
    }

    private static Decision decision(Action action, List<String> reasons) {
        return new Decision(action, reasons, null, null);
    }

    static Duration between(Instant from, Instant to) {
        return to.isAfter(from) ? Duration.between(from, to) : Duration.ZERO;
    }

    static String fmt(Duration d) {
        return d.toMillis() % 1000 != 0 && d.toSeconds() < 10 ? d.toMillis() + "ms" : Durations.format(d);
    }
}
