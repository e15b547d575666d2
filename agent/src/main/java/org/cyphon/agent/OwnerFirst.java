package org.cyphon.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerObservations;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.owner.PresenceFusion;
import org.cyphon.core.owner.SessionsSeen;
import org.cyphon.core.policy.AttemptLifecycle;
import org.cyphon.core.policy.AttemptLifecycle.Effect;
import org.cyphon.core.policy.Decision;
import org.cyphon.core.policy.MachineFacts;
import org.cyphon.core.policy.Policy;
import org.cyphon.core.policy.PolicyInput;
import org.cyphon.core.policy.PolicySettings;
import org.cyphon.core.policy.StartDecision;
import org.cyphon.core.protocol.OwnerVisibleEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk's own yield loop (invariant 1, "owner first"): every owner signal is fused into a
 * {@link Presence} and every attempt on the desk is decided again at once, on the sensor's thread,
 * so input freezes work within milliseconds, with no polling interval and no coordinator round
 * trip. Between signals a single timer fires at the earliest instant a decision is due to change
 * ({@code reconsiderAt}), e.g. when the owner has been idle long enough to thaw.
 *
 * <p>All decisions are core's: {@link Policy} decides, core's {@link AttemptLifecycle} applies the
 * decision to the attempt (the same state machine the simulator replays), and {@link AttemptEffects}
 * only carries out on the job what the transition asks for (freeze, thaw, caps, checkpoint, kill).
 * This class also remembers whether new work may start, which the agent reports to the coordinator
 * with its heartbeat.
 */
final class OwnerFirst implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OwnerFirst.class);

    /** What the rest of the agent hears from this loop. */
    interface Listener {
        /** The start decision changed: tell the coordinator soon. */
        void startChanged(boolean allowed);

        /** The owner came or went (or claimed their whole machine, or the claim ended): the desk VM follows them. */
        default void presenceChanged(boolean present) {}
    }

    private final Policy policy;
    private final Clock clock;
    private final double cores;
    private final ZoneId zone;
    private final Collection<LocalAttempt> attempts;
    private final AttemptEffects effects;
    private final Listener listener;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("owner-first-timer").factory());
    private OwnerObservations observations;
    private Presence presence;
    private StartDecision start;
    private ScheduledFuture<?> pending;
    /** Some sensor has seen a way for a person to use this machine locally (input, a display, a local session). */
    private boolean sawPerson;

    private boolean headless;

    private Instant pendingAt;
    /** The owner asked for the whole machine until then ({@code cyphon claim}); null: no claim. */
    private Instant claimUntil;
    /** The owner present or claiming, as last evaluated. */
    private boolean ownerHere;

    /** The owner present (by the fused presence alone), as last evaluated. */
    private boolean ownerPresent;
    /** The fused owner state as last evaluated, and since when (null: not yet evaluated). */
    private Presence.State ownerState;

    private Instant ownerSince;
    /** Jobs slow to yield to the owner, not yet carried by an answered heartbeat (at most {@link #MAX_UNREPORTED}). */
    private final List<OwnerVisibleEvent> unreported = new ArrayList<>();

    private static final int MAX_UNREPORTED = 1000;

    OwnerFirst(
            PolicySettings settings,
            Clock clock,
            double cores,
            Collection<LocalAttempt> attempts,
            AttemptEffects effects,
            Listener listener) {
        this.policy = Policy.of(settings);
        this.clock = clock;
        this.cores = cores;
        this.zone = settings.timeZone() != null ? settings.timeZone() : ZoneId.systemDefault();
        this.attempts = attempts;
        this.effects = effects;
        this.listener = listener;
        this.observations = OwnerObservations.startingAt(clock.instant(), settings.presence());
        evaluate(clock.instant());
    }

    /**
     * Once every sensor has reported what it sees at start: when none has seen a way for a person to
     * use this machine locally (no input, no display, no local session), it is headless. Nobody has
     * been seen at this desk, so it counts as idle for good, not since the agent's start, and work
     * starts at once; a sensor that later sees input still makes the owner present.
     *
     * @return whether the machine is headless
     */
    boolean decideHeadless() {
        synchronized (this) {
            if (sawPerson) return false;
            headless = true;
            observations = observations.headless();
        }
        evaluate(clock.instant());
        return true;
    }

    /** No sensor saw a person at this machine when it started: nobody can sit at it. */
    synchronized boolean headless() {
        return headless;
    }

    /** A sensor saw something: decide again now. Called on sensor threads. */
    void signal(OwnerSignal s) {
        synchronized (this) {
            observations = observations.with(s);
            if (s instanceof InputSeen
                    || (s instanceof SessionsSeen ss && ss.sessions().stream().anyMatch(x -> !x.remote()))) {
                sawPerson = true;
            }
        }
        evaluate(clock.instant());
    }

    /** An attempt started or ended: its neighbours' facts changed. */
    void attemptsChanged() {
        evaluate(clock.instant());
    }

    synchronized Presence presence() {
        return presence;
    }

    /**
     * The owner asks for their whole machine until {@code until} ("I need my whole machine now"):
     * every job freezes at once and none starts until then, whatever the policy (core's hard stop);
     * the desk VM counts them as present. Null ends a claim.
     */
    void claim(Instant until) {
        synchronized (this) {
            claimUntil = until;
        }
        evaluate(clock.instant());
    }

    /** When the owner's claim ends, or null when none is in force. */
    synchronized Instant claimUntil() {
        return claimUntil != null && clock.instant().isBefore(claimUntil) ? claimUntil : null;
    }

    /** Someone is at the desk, or the owner has claimed it: the desk VM runs for them. */
    synchronized boolean ownerHere() {
        return ownerHere;
    }

    synchronized StartDecision startDecision() {
        return start;
    }

    synchronized void evaluate(Instant now) {
        boolean wasHere = ownerHere;
        presence = PresenceFusion.fuse(observations, now);
        boolean claimed = claimUntil != null && now.isBefore(claimUntil);
        ownerHere = presence.present() || claimed;
        if (ownerHere != wasHere) listener.presenceChanged(ownerHere);
        noteOwnerState(now);
        // The owner's input that brought them back: what every job's yield is timed from.
        boolean cameBack = presence.present() && !ownerPresent;
        Instant backAt = cameBack ? presence.lastInput() : null;
        ownerPresent = presence.present();
        double jobCpus = attempts.stream()
                .filter(LocalAttempt::hasLiveJob)
                .mapToDouble(a -> a.work.cpus())
                .sum();
        MachineFacts machine = new MachineFacts(cores, jobCpus, zone, claimed ? claimUntil : null);
        StartDecision before = start;
        start = policy.mayStart(now, presence, machine);
        if (before == null || before.allowed() != start.allowed()) {
            log.info(
                    "desk: new work {} ({})",
                    start.allowed() ? "may start" : "may not start",
                    String.join("; ", start.reasons()));
            if (before != null) listener.startChanged(start.allowed());
        }
        Instant next = start.reconsiderAt();
        for (LocalAttempt a : attempts) {
            Decision d;
            synchronized (a) {
                AttemptLifecycle life = a.decidable();
                if (life == null) continue;
                d = policy.decide(new PolicyInput(now, presence, machine, life.factsFor(now, expectedRuntime(a))));
                AttemptLifecycle.Transition t = a.decide(d, now);
                carryOut(a, t);
                if (backAt != null && yielded(t)) timeYield(a, backAt);
            }
            next = earliest(next, d.reconsiderAt());
        }
        schedule(next, now);
    }

    /**
     * Sends an attempt away for a reason that is not the desk policy's (the coordinator preempts it,
     * the agent shuts down), exactly as the policy's own vacate does: through the same lifecycle, so
     * from then on the policy neither freezes it nor lets it run on, and kills it after the grace.
     */
    void vacate(LocalAttempt a, String why) {
        vacate(a, why, null);
    }

    /**
     * {@link #vacate(LocalAttempt, String)} for a desk going down: the job must answer its checkpoint
     * signal by {@code answerBy} (null: within the checkpoint grace), or it is killed then.
     */
    void vacate(LocalAttempt a, String why, Instant answerBy) {
        synchronized (a) {
            carryOut(a, a.decide(LocalAttempt.vacateFor(why), clock.instant(), answerBy));
        }
        attemptsChanged(); // the policy's clock for the grace starts now
    }

    /**
     * When the fused state (present, away, hands off) changed, and since when: away dates from the
     * moment the owner's presence lapsed, the rest from now (the state's first evaluation).
     */
    private void noteOwnerState(Instant now) {
        Presence.State state = presence.state();
        if (state == ownerState) return;
        ownerState = state;
        Instant lapsed = presence.presentUntil() != null ? presence.presentUntil() : presence.idleSince();
        ownerSince = state == Presence.State.AWAY && lapsed != null && !lapsed.isAfter(now) ? lapsed : now;
    }

    private static boolean yielded(AttemptLifecycle.Transition t) {
        return t != null && (t.has(Effect.FREEZE) || t.has(Effect.SET_LINGER_CAPS));
    }

    /** Caller holds the attempt's monitor: the job has just been frozen or capped for the owner back at {@code input}. */
    private void timeYield(LocalAttempt a, Instant input) {
        Instant done = clock.instant();
        if (!OwnerVisibleEvent.ownerVisible(input, done)) return;
        OwnerVisibleEvent e = new OwnerVisibleEvent(a.work.jobId(), a.work.attempt(), input, done);
        log.warn(
                "job {} attempt {}: yielded {} ms after the owner's input, over the {} ms bound (owner-visible)",
                e.jobId(),
                e.attempt(),
                e.latency().toMillis(),
                OwnerVisibleEvent.BOUND.toMillis());
        if (unreported.size() >= MAX_UNREPORTED) unreported.remove(0);
        unreported.add(e);
    }

    /** When the owner's current state (present, away, hands off) began, as this agent saw it. */
    synchronized Instant ownerSince() {
        return ownerSince;
    }

    /** The slow yields no answered heartbeat has carried yet. */
    synchronized List<OwnerVisibleEvent> unreportedSlowYields() {
        return List.copyOf(unreported);
    }

    /** A heartbeat carrying {@code sent} was answered: the coordinator has them. */
    synchronized void slowYieldsReported(List<OwnerVisibleEvent> sent) {
        unreported.removeAll(sent);
    }

    /** Caller holds the attempt's monitor. */
    private void carryOut(LocalAttempt a, AttemptLifecycle.Transition t) {
        if (t != null) effects.carryOut(a, a.job(), t);
    }

    private static Duration expectedRuntime(LocalAttempt a) {
        Long seconds = a.work.runtimeSeconds();
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    private void schedule(Instant next, Instant now) {
        if (next == null) return;
        if (pending != null && !pending.isDone()) {
            if (pendingAt.equals(next)) return;
            pending.cancel(false);
        }
        long delay = Math.max(0, Duration.between(now, next).toMillis());
        pendingAt = next;
        // The timer passes the instant it was set for, as the policy's contract asks.
        pending = timer.schedule(() -> evaluate(maxOf(next, clock.instant())), delay, TimeUnit.MILLISECONDS);
    }

    private static Instant maxOf(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isBefore(b) ? a : b;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
