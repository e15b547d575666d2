package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The life of one attempt on a desk, from its start until it leaves: the one state machine the
 * agent, the simulator and core's own replays apply {@link Policy} decisions with (invariant 5: it
 * exists once, so the simulator replays exactly what the desks do). Immutable; {@link #apply} gives
 * the next state and the effects the caller carries out, in order, on the job.
 *
 * <p>It also keeps the work done: how long the attempt has run, frozen time excluded, from which
 * {@link #facts} are made for the policy's next decision.
 *
 * <p>The transitions, numbered as in {@code AttemptLifecycleTest}; "capped": the linger caps are on;
 * "ckpt": the attempt can checkpoint. Any (state, decision) not listed changes nothing: a repeated
 * decision is harmless, and a leaving or killed attempt is never thawed back.
 *
 * <pre>
 *  #      from                     decision              to          effects, in order
 *  1      running                  LINGER                lingering   set caps
 *  2      running                  THAW + caps           lingering   set caps
 *  3, 8   running, lingering       FREEZE                frozen      freeze
 *  4, 9   running, lingering       VACATE (ckpt)         vacating    signal checkpoint
 *  5, 10  running, lingering       VACATE (no ckpt)      killed      kill (its work since the start is lost)
 *  6, 11  running, lingering       KILL                  killed      kill
 *  7      lingering                RUN                   running     lift caps
 *  12, 13 frozen                   RUN, THAW             running     thaw
 *  14, 15 frozen                   LINGER, THAW + caps   lingering   set caps, thaw
 *  16, 17 frozen, capped           RUN, THAW             running     lift caps, thaw
 *  18, 19 frozen, capped           LINGER, THAW + caps   lingering   thaw
 *  20, 21 frozen (capped or not)   VACATE (ckpt)         vacating    thaw, signal checkpoint
 *  22, 23 frozen (capped or not)   VACATE (no ckpt)      killed      kill
 *  24, 25 frozen (capped or not)   KILL                  killed      kill
 *  26     vacating                 KILL                  killed      kill
 * </pre>
 *
 * <p><b>THAW</b>: into lingering when the decision carries {@link LingerCaps} (the owner is
 * present) or the attempt lingers already; otherwise into running. A thaw without caps lifts the
 * caps a job had before it was frozen: the owner it lingered beside has gone. Caps are set before a
 * thaw, so a job let loose beside the owner never gets a burst in first. (This was the agent's rule;
 * the simulator's copy went by the caps alone. The presets and CEL policies decide THAW only for
 * frozen attempts, where the two agree, so the README's Results came out byte-identical.)
 *
 * @param state          where the attempt is
 * @param since          when it entered {@code state}
 * @param ranBefore      how long it ran (running or lingering) before {@code since}
 * @param capped         the linger caps are on (set on entering lingering, lifted on entering running;
 *                       a frozen attempt keeps what it had)
 * @param killed         it was killed: nothing more happens to it but its end
 * @param checkpointable it can leave without losing work (it writes a checkpoint when signalled)
 * @param usesGpu        it uses the GPU
 */
public record AttemptLifecycle(
        AttemptState state,
        Instant since,
        Duration ranBefore,
        boolean capped,
        boolean killed,
        boolean checkpointable,
        boolean usesGpu) {

    /** Linger caps for a decision that names none: nothing reclaimed early, no I/O throttle. */
    public static final LingerCaps NO_CAPS = new LingerCaps(1.0, 0);

    /** What the caller does to the job, in the order listed in a {@link Transition}. */
    public enum Effect {
        FREEZE,
        THAW,
        /** Hold it to {@link Transition#caps()}. */
        SET_LINGER_CAPS,
        LIFT_LINGER_CAPS,
        /** Ask it to checkpoint and exit; the policy's KILL follows if it has not left within the grace. */
        SIGNAL_CHECKPOINT,
        KILL
    }

    /**
     * One decision applied.
     *
     * @param from     the attempt before
     * @param decision what the policy decided
     * @param to       the attempt after
     * @param effects  what to do to the job, in this order
     * @param caps     the caps to set when {@code effects} holds {@link Effect#SET_LINGER_CAPS}, else null
     */
    public record Transition(
            AttemptLifecycle from, Decision decision, AttemptLifecycle to, List<Effect> effects, LingerCaps caps) {
        public Transition {
            effects = List.copyOf(effects);
        }

        /** The attempt moved to another state or was killed (a caller that decides again at once needs this). */
        public boolean changed() {
            return from.state != to.state || from.killed != to.killed;
        }

        public boolean has(Effect e) {
            return effects.contains(e);
        }
    }

    public AttemptLifecycle {
        if (state == null || since == null || ranBefore == null)
            throw new IllegalArgumentException("state, since and ranBefore are required");
        if (ranBefore.isNegative()) throw new IllegalArgumentException("ranBefore must not be negative");
    }

    /** An attempt that starts running now, uncapped. */
    public static AttemptLifecycle started(Instant now, boolean checkpointable, boolean usesGpu) {
        return new AttemptLifecycle(AttemptState.RUNNING, now, Duration.ZERO, false, false, checkpointable, usesGpu);
    }

    /** Applies one decision taken at {@code now}. */
    public Transition apply(Decision d, Instant now) {
        if (killed) return unchanged(d);
        return switch (d.action()) {
            case RUN -> release(d, AttemptState.RUNNING, null, now);
            case LINGER -> release(d, AttemptState.LINGERING, d.caps(), now);
            case THAW ->
                release(
                        d,
                        state == AttemptState.LINGERING || d.caps() != null
                                ? AttemptState.LINGERING
                                : AttemptState.RUNNING,
                        d.caps(),
                        now);
            case FREEZE ->
                running()
                        ? new Transition(this, d, enter(AttemptState.FROZEN, now, capped), List.of(Effect.FREEZE), null)
                        : unchanged(d);
            case CHECKPOINT_AND_VACATE -> vacate(d, now);
            case KILL -> new Transition(this, d, killedAt(now), List.of(Effect.KILL), null);
        };
    }

    /** Into running or lingering, from wherever it is (leaving attempts stay leaving). */
    private Transition release(Decision d, AttemptState target, LingerCaps caps, Instant now) {
        if (state == AttemptState.VACATING) return unchanged(d);
        List<Effect> effects = new ArrayList<>(2);
        LingerCaps setting = null;
        boolean cappedAfter = capped;
        if (target == AttemptState.LINGERING && !capped) {
            effects.add(Effect.SET_LINGER_CAPS);
            setting = caps != null ? caps : NO_CAPS;
            cappedAfter = true;
        } else if (target == AttemptState.RUNNING && capped) {
            effects.add(Effect.LIFT_LINGER_CAPS);
            cappedAfter = false;
        }
        if (state == AttemptState.FROZEN) effects.add(Effect.THAW);
        AttemptLifecycle to = state == target ? withCapped(cappedAfter) : enter(target, now, cappedAfter);
        return new Transition(this, d, to, effects, setting);
    }

    private Transition vacate(Decision d, Instant now) {
        if (state == AttemptState.VACATING) return unchanged(d);
        AttemptLifecycle leaving = enter(AttemptState.VACATING, now, capped);
        if (!checkpointable) return new Transition(this, d, leaving.killedAt(now), List.of(Effect.KILL), null);
        // A frozen tree cannot act on a signal: it is thawed to write its checkpoint.
        List<Effect> effects = state == AttemptState.FROZEN
                ? List.of(Effect.THAW, Effect.SIGNAL_CHECKPOINT)
                : List.of(Effect.SIGNAL_CHECKPOINT);
        return new Transition(this, d, leaving, effects, null);
    }

    private Transition unchanged(Decision d) {
        return new Transition(this, d, this, List.of(), null);
    }

    /** Whether it runs now (running or lingering, not killed): only then does work get done. */
    public boolean running() {
        return !killed && (state == AttemptState.RUNNING || state == AttemptState.LINGERING);
    }

    /** How long it has run in total at {@code now}, frozen time excluded. */
    public Duration ranFor(Instant now) {
        if (!running()) return ranBefore;
        Duration lately = Duration.between(since, now);
        return lately.isNegative() ? ranBefore : ranBefore.plus(lately);
    }

    /**
     * The policy's view of it at {@code now}.
     *
     * @param remaining its expected remaining run time, null when unknown
     */
    public AttemptFacts facts(Instant now, Duration remaining) {
        return new AttemptFacts(state, since, ranFor(now), checkpointable, remaining, usesGpu);
    }

    /**
     * The policy's view of it at {@code now}, when the job's whole expected run time is known
     * (null: unknown) and this attempt started it from scratch: what is left is that minus what it
     * has run, never below zero.
     */
    public AttemptFacts factsFor(Instant now, Duration expectedRuntime) {
        Duration remaining = null;
        if (expectedRuntime != null) {
            remaining = expectedRuntime.minus(ranFor(now));
            if (remaining.isNegative()) remaining = Duration.ZERO;
        }
        return facts(now, remaining);
    }

    private AttemptLifecycle enter(AttemptState next, Instant now, boolean cappedAfter) {
        return new AttemptLifecycle(next, now, ranFor(now), cappedAfter, false, checkpointable, usesGpu);
    }

    private AttemptLifecycle withCapped(boolean c) {
        return c == capped ? this : new AttemptLifecycle(state, since, ranBefore, c, killed, checkpointable, usesGpu);
    }

    private AttemptLifecycle killedAt(Instant now) {
        return new AttemptLifecycle(state, since, ranFor(now), capped, true, checkpointable, usesGpu);
    }
}
