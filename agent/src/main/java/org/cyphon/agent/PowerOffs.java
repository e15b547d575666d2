package org.cyphon.agent;

import java.time.Duration;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.sensors.LogindPowerWatch;
import org.cyphon.agent.sensors.LogindUnavailableException;
import org.cyphon.core.protocol.DeskView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent when its desk goes down. With logind ({@link LogindPowerWatch}): on the announcement of
 * a power-off, reboot or sleep it takes no new work and vacates everything, saving the desk VM,
 * within logind's delay ({@link BoundedVacate}); after a resume it takes work again. Without logind,
 * only the SIGTERM of the shutdown reaches the agent, which then vacates within {@link #stopBound}.
 * {@link #view} is what {@code cyphon machine} shows of it.
 */
final class PowerOffs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PowerOffs.class);
    /** How long, beyond the checkpoint grace, a stop waits for its vacated attempts' reports. */
    static final Duration REPORT_MARGIN = Duration.ofSeconds(15);
    /** The longest a stop (SIGTERM) takes: within the service's TimeoutStopSec (90 s), so systemd never kills it first. */
    static final Duration STOP_AT_MOST = Duration.ofSeconds(80);
    /** What a desk going down leaves logind of its InhibitDelayMaxUSec: the lock is let go this much before. */
    static final Duration LOCK_MARGIN = Duration.ofSeconds(1);

    private final AgentConfig config;
    private final Shutdown shutdown;
    private final BoundedVacate vacate;
    /** The desk VM, or null. */
    private final OwnersVm vm;

    private final Heartbeats beats;
    /** Null without logind (or with the logind sensor off). */
    private volatile LogindPowerWatch watch;
    /** Why there is no watch, or null. */
    private volatile String problem;

    PowerOffs(AgentConfig config, Shutdown shutdown, BoundedVacate vacate, OwnersVm vm, Heartbeats beats) {
        this.config = config;
        this.shutdown = shutdown;
        this.vacate = vacate;
        this.vm = vm;
        this.beats = beats;
    }

    /** Starts watching logind, when the logind sensor is on and logind is there. */
    void watch() {
        if (!config.sensors().logind()) {
            problem = "the logind sensor is off";
            return;
        }
        try {
            LogindPowerWatch w = LogindPowerWatch.start(config.sensors().dbusAddress(), new DeskGoesDown());
            watch = w;
            log.info(
                    "agent {}: logind announces power-offs and sleeps; delay lock {}; logind waits at most {}",
                    config.name(),
                    w.lockHeld() ? "held" : "not held (" + w.lockProblem() + ")",
                    w.delayMax());
        } catch (LogindUnavailableException e) {
            problem = e.getMessage();
            log.info("agent {}: power-offs are not announced ({}): SIGTERM vacates", config.name(), problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
    }

    /** What the agent does when logind announces that the desk goes down, and when it is back. */
    private final class DeskGoesDown implements LogindPowerWatch.Listener {
        @Override
        public void goingDown(LogindPowerWatch.Operation op, Duration delayMax) {
            shutdown.away(op.reason());
            try {
                vacate.run(op.reason(), powerDownBound(delayMax), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void back(LogindPowerWatch.Operation op) {
            shutdown.back();
            if (vm != null) vm.deskBack();
            // Leases may have run out while it slept: the next beat says which attempts are stale.
            beats.soon();
        }
    }

    /** The time a desk going down has for its jobs and its VM: logind's delay, less a margin. */
    static Duration powerDownBound(Duration delayMax) {
        if (delayMax == null) return Duration.ofSeconds(4); // logind's default 5 s, less the margin
        Duration bound = delayMax.minus(LOCK_MARGIN);
        return bound.compareTo(Duration.ofMillis(500)) < 0 ? Duration.ofMillis(500) : bound;
    }

    /** How long a stop (SIGTERM) may take: the checkpoint grace and a margin for the reports, at most {@link #STOP_AT_MOST}. */
    Duration stopBound() {
        Duration d = config.checkpoint().grace().plus(REPORT_MARGIN);
        return d.compareTo(STOP_AT_MOST) > 0 ? STOP_AT_MOST : d;
    }

    /** What {@code cyphon machine} says of power-offs on this desk. */
    DeskView.PowerView view() {
        LogindPowerWatch w = watch;
        long stop = stopBound().toMillis();
        if (w == null) return new DeskView.PowerView(null, false, null, stop, problem);
        Duration max = w.delayMax();
        return new DeskView.PowerView(
                "logind",
                w.lockHeld(),
                max == null ? null : max.toMillis(),
                stop,
                w.lockHeld() ? null : w.lockProblem());
    }

    /** Lets go of the delay lock: a stopped agent holds no shutdown up. */
    @Override
    public void close() {
        LogindPowerWatch w = watch;
        if (w != null) w.close();
    }
}
