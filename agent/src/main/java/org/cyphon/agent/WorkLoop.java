package org.cyphon.agent;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.protocol.WorkReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work loop: long-polls the coordinator for assignments and hands each to the
 * {@link Launcher}, each start on its own thread, so a slow launch on a busy desk delays neither the
 * next poll nor the other starts. An assignment re-sent after a coordinator restart is taken once;
 * one that arrives while the agent is leaving is handed straight back.
 */
final class WorkLoop {
    private static final Logger log = LoggerFactory.getLogger(WorkLoop.class);
    static final Duration LONG_POLL = Duration.ofSeconds(25);

    private final CoordinatorLink link;
    private final HeldAttempts attempts;
    private final Launcher launcher;
    private final Heartbeats beats;
    private final Enrollment enrollment;
    private final Retry retry;
    private final Shutdown shutdown;
    private final Executor background;

    WorkLoop(
            CoordinatorLink link,
            HeldAttempts attempts,
            Launcher launcher,
            Heartbeats beats,
            Enrollment enrollment,
            Retry retry,
            Shutdown shutdown,
            Executor background) {
        this.link = link;
        this.attempts = attempts;
        this.launcher = launcher;
        this.beats = beats;
        this.enrollment = enrollment;
        this.retry = retry;
        this.shutdown = shutdown;
        this.background = background;
    }

    void run() {
        Retry.Backoff backoff = retry.backoff();
        while (!shutdown.stopped()) {
            try {
                try {
                    take(link.pollWork(LONG_POLL));
                    backoff.succeeded();
                } catch (CoordinatorUnreachableException e) {
                    backoff.failed("work poll", e);
                } catch (CoordinatorRefusedException e) {
                    enrollment.refused("work poll", e, backoff);
                } catch (RuntimeException e) {
                    log.error("agent {}: work loop error", link.machine(), e);
                    backoff.failed("work poll", e);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Takes what one poll brought. */
    void take(WorkReply reply) {
        for (WorkAssignment w : reply.assignments()) {
            // Re-sent after a coordinator restart, or by a second coordinator: never run twice.
            if (attempts.heldOrDone(w.fencingToken())) continue;
            LocalAttempt a = launcher.admit(w);
            if (shutdown.closing()) {
                // Arrived as we leave: hand it straight back (vacated: requeued, no attempt used).
                String why = shutdown.whyNoWork();
                a.handedBack(why != null ? why : "agent shutting down");
                beats.soon();
                continue;
            }
            background.execute(() -> launcher.launch(a));
        }
    }
}
