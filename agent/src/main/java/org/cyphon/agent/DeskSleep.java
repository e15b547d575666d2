package org.cyphon.agent;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.agent.power.NetworkCards;
import org.cyphon.agent.power.PowerConfig;
import org.cyphon.agent.power.SleepFailedException;
import org.cyphon.core.power.IdleSleep;
import org.cyphon.core.protocol.NicView;
import org.cyphon.core.protocol.SleepNotice;
import org.cyphon.core.protocol.SleepReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * agent.toml's {@code power.suspend_when_idle}: puts the desk to sleep once core's {@link IdleSleep}
 * says so (the owner away, no attempt held and nothing assigned, for that long), and tells the
 * coordinator first, with the cards it can be woken through ({@link NetworkCards}): a desk the
 * coordinator does not know asleep would look lost, and one it cannot wake would keep queued work
 * waiting. A refusal (the coordinator has work for it) or an unreachable coordinator keeps the desk
 * awake, and the quiet time starts again.
 *
 * <p>From the notice until the resume no heartbeat goes out ({@link Heartbeats#holdWhile}); the
 * first beat after it tells the coordinator the desk is awake. The loop decides at the instant the
 * decision may change ({@code reconsiderAt}), when an attempt comes or goes, when the owner comes
 * or goes, and at least every minute (hands-off ends with no signal to this loop).
 */
final class DeskSleep {
    private static final Logger log = LoggerFactory.getLogger(DeskSleep.class);
    /** Longest wait between two decisions when nothing announces a change. */
    private static final Duration LOOK_AGAIN = Duration.ofMinutes(1);
    /** logind must begin to sleep this soon after the request. */
    static final Duration START_WITHIN = Duration.ofSeconds(60);
    /** A bound on the wait for logind's resume signal, should it never come. */
    static final Duration RESUME_WITHIN = Duration.ofHours(24);

    /** How the desk is put to sleep and woken: logind in the agent, a test's stand-in in tests. */
    interface Sleeper {
        /** Sleeps; returns once resumed. */
        void sleep(String how) throws SleepFailedException, InterruptedException;
    }

    /** What the cards are: {@link NetworkCards} in the agent. */
    interface Cards {
        List<NicView> read() throws IOException;
    }

    private final PowerConfig config;
    private final IdleSleep rule;
    private final OwnerFirst ownerFirst;
    private final HeldAttempts attempts;
    private final DeskReport desk;
    private final CoordinatorLink link;
    private final Heartbeats beats;
    private final Cards cards;
    private final Sleeper sleeper;
    private final Shutdown shutdown;
    private final Clock clock;
    private final Semaphore nudge = new Semaphore(0);

    private volatile boolean asleep;
    private volatile Instant quietSince;
    private final java.util.concurrent.atomic.AtomicInteger sleeps = new java.util.concurrent.atomic.AtomicInteger();

    DeskSleep(
            PowerConfig config,
            OwnerFirst ownerFirst,
            HeldAttempts attempts,
            DeskReport desk,
            CoordinatorLink link,
            Heartbeats beats,
            Cards cards,
            Sleeper sleeper,
            Shutdown shutdown,
            Clock clock) {
        this.config = config;
        this.rule = new IdleSleep(config.suspendWhenIdle());
        this.ownerFirst = ownerFirst;
        this.attempts = attempts;
        this.desk = desk;
        this.link = link;
        this.beats = beats;
        this.cards = cards;
        this.sleeper = sleeper;
        this.shutdown = shutdown;
        this.clock = clock;
        this.quietSince = clock.instant();
        beats.holdWhile(this::asleep);
        attempts.onChange(this::workChanged);
    }

    /** The desk sleeps, or is about to: no heartbeat. */
    boolean asleep() {
        return asleep;
    }

    /** How many times the desk went to sleep and came back. */
    int sleeps() {
        return sleeps.get();
    }

    /** An attempt came or went: the quiet time starts again. */
    void workChanged() {
        quietSince = clock.instant();
        nudge.release();
    }

    /** The owner came or went: decide again. */
    void ownerChanged() {
        nudge.release();
    }

    void run() {
        log.info(
                "agent {}: the desk {}s after {} with its owner away and no work",
                link.machine(),
                config.how(),
                org.cyphon.core.text.Durations.format(config.suspendWhenIdle()));
        while (!shutdown.closing()) {
            try {
                Instant now = clock.instant();
                if (!attempts.isEmpty()) quietSince = now;
                IdleSleep.Decision d = rule.decide(now, ownerFirst.presence(), attempts.size(), quietSince);
                if (d.sleep()) {
                    goToSleep(d.why());
                    continue;
                }
                long wait = LOOK_AGAIN.toMillis();
                if (d.reconsiderAt() != null)
                    wait = Math.min(
                            wait,
                            Math.max(1, Duration.between(now, d.reconsiderAt()).toMillis()));
                nudge.tryAcquire(wait, TimeUnit.MILLISECONDS);
                nudge.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("agent {}: desk sleep loop error", link.machine(), e);
                quietSince = clock.instant();
            }
        }
    }

    /** Tells the coordinator, then sleeps; on any refusal or failure the desk stays awake. */
    void goToSleep(String why) throws InterruptedException {
        List<NicView> nics;
        try {
            nics = cards.read();
        } catch (IOException e) {
            log.warn(
                    "agent {}: cannot read the network cards ({}): not going to sleep", link.machine(), e.getMessage());
            quietSince = clock.instant();
            return;
        }
        asleep = true; // no beat from here on may say "awake" after the notice
        try {
            SleepReply reply = link.goingToSleep(new SleepNotice(config.how(), nics, desk.now()));
            if (!attempts.isEmpty()) {
                log.info("agent {}: work arrived while going to sleep: staying awake", link.machine());
                return;
            }
            log.info(
                    "agent {}: going to sleep ({}: {}); {}",
                    link.machine(),
                    config.how(),
                    why,
                    reply.wakeable()
                            ? "wakes by Wake-on-LAN at "
                                    + String.join(
                                            ", ",
                                            nics.stream()
                                                    .filter(NicView::mayWake)
                                                    .map(n -> n.name() + " " + n.mac())
                                                    .toList())
                            : "no card wakes by Wake-on-LAN (" + describe(nics) + "): only its owner wakes it");
            try {
                sleeper.sleep(config.how());
                sleeps.incrementAndGet();
                log.info("agent {}: awake again", link.machine());
            } catch (SleepFailedException e) {
                log.warn("agent {}: could not {}: {}", link.machine(), config.how(), e.getMessage());
            }
        } catch (CoordinatorRefusedException e) {
            log.info("agent {}: the coordinator keeps the desk awake: {}", link.machine(), e.getMessage());
        } catch (CoordinatorUnreachableException e) {
            log.info(
                    "agent {}: not going to sleep: the coordinator could not be told ({})",
                    link.machine(),
                    e.getMessage());
        } finally {
            asleep = false;
            quietSince = clock.instant();
            beats.awake(); // the coordinator learns at once that the desk is awake
        }
    }

    private static String describe(List<NicView> nics) {
        if (nics.isEmpty()) return "no card found";
        return String.join(
                "; ", nics.stream().map(n -> n.name() + ": " + n.detail()).toList());
    }
}
