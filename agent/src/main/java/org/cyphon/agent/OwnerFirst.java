package org.cyphon.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.sandbox.LingerLimits;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerObservations;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.owner.PresenceFusion;
import org.cyphon.core.owner.SessionsSeen;
import org.cyphon.core.policy.AttemptState;
import org.cyphon.core.policy.Decision;
import org.cyphon.core.policy.LingerCaps;
import org.cyphon.core.policy.MachineFacts;
import org.cyphon.core.policy.Policy;
import org.cyphon.core.policy.PolicyInput;
import org.cyphon.core.policy.PolicySettings;
import org.cyphon.core.policy.StartDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk's own yield loop (invariant 1, "owner first"): every owner signal is fused into a
 * {@link Presence} and every attempt on the desk is decided again at once, on the sensor's thread,
 * so input freezes work within milliseconds, with no polling interval and no coordinator round
 * trip. Between signals a single timer fires at the earliest instant a decision is due to change
 * ({@code reconsiderAt}), e.g. when the owner has been idle long enough to thaw.
 *
 * <p>All decisions are core's ({@link Policy}); this class only applies them to the attempts
 * (freeze, thaw, vacate) and remembers whether new work may start, which the agent reports to the
 * coordinator with its heartbeat.
 */
final class OwnerFirst implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OwnerFirst.class);

    /** What the agent does when a decision says an attempt must leave or die. */
    interface Evictions {
        void vacate(LocalAttempt a, String why);

        void kill(LocalAttempt a, String why);

        /** The start decision changed: tell the coordinator soon. */
        void startChanged(boolean allowed);

        /** The owner came or went: the desk VM follows them. */
        default void presenceChanged(boolean present) {}
    }

    private final Policy policy;
    private final Clock clock;
    private final double cores;
    private final ZoneId zone;
    private final Collection<LocalAttempt> attempts;
    private final Evictions evictions;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("owner-first-timer").factory());
    private OwnerObservations observations;
    private Presence presence;
    private StartDecision start;
    private ScheduledFuture<?> pending;
    /** Some sensor has seen a way for a person to use this machine locally (input, a display, a local session). */
    private boolean sawPerson;

    private Instant pendingAt;

    OwnerFirst(
            PolicySettings settings,
            Clock clock,
            double cores,
            Collection<LocalAttempt> attempts,
            Evictions evictions) {
        this.policy = Policy.of(settings);
        this.clock = clock;
        this.cores = cores;
        this.zone = settings.timeZone() != null ? settings.timeZone() : ZoneId.systemDefault();
        this.attempts = attempts;
        this.evictions = evictions;
        this.observations = OwnerObservations.startingAt(clock.instant(), settings.presence());
        evaluate(clock.instant());
    }

    /**
     * No sensor can see a person at this machine at all (no input devices, no display, no login
     * sessions): a headless box. Nobody has been seen at this desk, so it counts as idle for good,
     * not since the agent's start, and work starts at once; a sensor that later sees input still
     * makes the owner present.
     */
    void headless() {
        synchronized (this) {
            observations = observations.headless();
        }
        evaluate(clock.instant());
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

    synchronized boolean sawPerson() {
        return sawPerson;
    }

    synchronized boolean mayStart() {
        return start.allowed();
    }

    synchronized Presence presence() {
        return presence;
    }

    synchronized StartDecision startDecision() {
        return start;
    }

    synchronized void evaluate(Instant now) {
        boolean wasPresent = presence != null && presence.present();
        presence = PresenceFusion.fuse(observations, now);
        if (presence.present() != wasPresent) evictions.presenceChanged(presence.present());
        double jobCpus = attempts.stream()
                .filter(a -> a.job != null && !a.finished())
                .mapToDouble(a -> a.work.cpus())
                .sum();
        MachineFacts machine = new MachineFacts(cores, jobCpus, zone);
        StartDecision before = start;
        start = policy.mayStart(now, presence, machine);
        if (before == null || before.allowed() != start.allowed()) {
            log.info(
                    "desk: new work {} ({})",
                    start.allowed() ? "may start" : "may not start",
                    String.join("; ", start.reasons()));
            if (before != null) evictions.startChanged(start.allowed());
        }
        Instant next = start.reconsiderAt();
        for (LocalAttempt a : attempts) {
            Decision d;
            synchronized (a) {
                if (a.job == null || a.report != null) continue;
                d = policy.decide(new PolicyInput(now, presence, machine, a.facts(now)));
                apply(a, d, now);
            }
            next = earliest(next, d.reconsiderAt());
        }
        schedule(next, now);
    }

    /** Caller holds the attempt's monitor. */
    private void apply(LocalAttempt a, Decision d, Instant now) {
        AttemptState was = a.policyState;
        String why = String.join("; ", d.reasons());
        switch (d.action()) {
            case RUN -> thawInto(a, AttemptState.RUNNING, null, now, why);
            case LINGER -> thawInto(a, AttemptState.LINGERING, d.caps(), now, why);
            case THAW ->
                thawInto(
                        a,
                        was == AttemptState.LINGERING || d.caps() != null
                                ? AttemptState.LINGERING
                                : AttemptState.RUNNING,
                        d.caps(),
                        now,
                        why);
            case FREEZE -> {
                if (was != AttemptState.FROZEN && was != AttemptState.VACATING) {
                    a.job.freeze();
                    a.enter(AttemptState.FROZEN, now);
                    log.info("job {} attempt {}: frozen ({})", a.work.jobId(), a.work.attempt(), why);
                }
            }
            case CHECKPOINT_AND_VACATE -> {
                if (was != AttemptState.VACATING) {
                    a.enter(AttemptState.VACATING, now);
                    log.info("job {} attempt {}: checkpoint and vacate ({})", a.work.jobId(), a.work.attempt(), why);
                    evictions.vacate(a, why);
                }
            }
            case KILL -> {
                log.info("job {} attempt {}: kill ({})", a.work.jobId(), a.work.attempt(), why);
                evictions.kill(a, why);
            }
        }
    }

    private void thawInto(LocalAttempt a, AttemptState target, LingerCaps caps, Instant now, String why) {
        AttemptState was = a.policyState;
        if (was == AttemptState.VACATING) return; // leaving already; never thaw back
        // Limits before the thaw: a job let loose beside the owner must not get a burst in first.
        if (target == AttemptState.LINGERING && !a.lingerLimited) {
            a.job.linger(lingerLimits(caps, a));
            a.lingerLimited = true;
        } else if (target == AttemptState.RUNNING && a.lingerLimited) {
            a.job.linger(null);
            a.lingerLimited = false;
        }
        if (was == AttemptState.FROZEN) {
            a.job.thaw();
            log.info("job {} attempt {}: thawed, {} ({})", a.work.jobId(), a.work.attempt(), target.celName(), why);
        }
        if (was != target) {
            if (was != AttemptState.FROZEN && target == AttemptState.LINGERING) {
                log.info("job {} attempt {}: lingering beside the owner ({})", a.work.jobId(), a.work.attempt(), why);
            } else if (was == AttemptState.LINGERING && target == AttemptState.RUNNING) {
                log.info("job {} attempt {}: running, the owner has left ({})", a.work.jobId(), a.work.attempt(), why);
            }
            a.enter(target, now);
        }
    }

    /**
     * The policy's caps for one job: its share of the lingering memory is the same fraction of its
     * own limit (placement keeps the limits within what the agent offers, so together the lingering
     * jobs stay within that fraction of it), and the I/O rate per job.
     */
    private static LingerLimits lingerLimits(LingerCaps caps, LocalAttempt a) {
        double fraction = caps == null ? 1.0 : Math.clamp(caps.memoryFraction(), 0.01, 1.0);
        long io = caps == null ? 0 : caps.ioBytesPerSecond();
        return new LingerLimits(Math.max(1, (long) (fraction * a.work.memoryBytes())), io);
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

    /** Reasons for cyphon machine NAME: the presence and the start decision. */
    synchronized List<String> reasons() {
        return java.util.stream.Stream.concat(presence.reasons().stream(), start.reasons().stream())
                .toList();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
