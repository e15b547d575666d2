package org.cyphon.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.cyphon.agent.desk.DeskException;
import org.cyphon.agent.desk.DeskVm;
import org.cyphon.agent.desk.DeskVmState;
import org.cyphon.agent.desk.DeskVmStatus;
import org.cyphon.core.desk.DeskDecision;
import org.cyphon.core.desk.DeskPlan;
import org.cyphon.core.desk.DeskPlanSettings;
import org.cyphon.core.desk.OwnerOutlook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the owner's desk VM where {@link DeskPlan} says: running while they work, paused while
 * they are away, saved to disk at night, back ahead of desk hours, capped during an overload.
 * Reconsidered when the owner comes or goes ({@link #reconsider()} from the owner-first loop),
 * when the overload changes, and at the instant the plan names; on its own thread, because a save
 * or a restore takes seconds and the owner-first loop must not wait for it.
 *
 * <p>A VM that is powered off or failed is left alone: starting the owner's OS is their or IT's
 * call ({@code cyphon desk M start}), and a dead guest must stay dead for IT to look at it.
 */
public final class DeskKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeskKeeper.class);

    /** The owner as the owner-first loop sees them now. */
    public record OwnerNow(boolean present, Duration idleFor) {}

    private final DeskVm vm;
    private final DeskPlanSettings settings;
    private final long memoryMaxMiB;
    private final long memoryMinMiB;
    private final Supplier<OwnerNow> owner;
    private final Supplier<Instant> overloadUntil;
    private final Supplier<OwnerOutlook> outlook;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private ScheduledFuture<?> pending;
    private volatile DeskDecision last;
    /** The desk is going down: the VM stays where the agent put it (saved) until {@link #hold(boolean)} lets go. */
    private volatile boolean held;

    public DeskKeeper(
            DeskVm vm,
            DeskPlanSettings settings,
            long memoryMaxMiB,
            long memoryMinMiB,
            Supplier<OwnerNow> owner,
            Supplier<Instant> overloadUntil,
            Clock clock) {
        this(vm, settings, memoryMaxMiB, memoryMinMiB, owner, overloadUntil, () -> OwnerOutlook.UNKNOWN, clock);
    }

    /** @param outlook what the pool's track record expects of the owner (from the heartbeat reply) */
    public DeskKeeper(
            DeskVm vm,
            DeskPlanSettings settings,
            long memoryMaxMiB,
            long memoryMinMiB,
            Supplier<OwnerNow> owner,
            Supplier<Instant> overloadUntil,
            Supplier<OwnerOutlook> outlook,
            Clock clock) {
        this.vm = Objects.requireNonNull(vm);
        this.settings = settings;
        this.memoryMaxMiB = memoryMaxMiB;
        this.memoryMinMiB = memoryMinMiB;
        this.owner = owner;
        this.overloadUntil = overloadUntil;
        this.outlook = outlook;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "desk-keeper");
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks for a fresh look soon, on the keeper's thread; cheap and safe from any thread. */
    public void reconsider() {
        thread.execute(this::apply);
    }

    /** Looks now and waits for the VM to get there (tests; the first look at agent start). */
    public DeskDecision reconsiderAndWait() throws Exception {
        return thread.submit(() -> {
                    apply();
                    return last;
                })
                .get(5, TimeUnit.MINUTES);
    }

    /**
     * Holds the keeper still while the desk goes down (it would otherwise bring back the VM the
     * agent has just saved), or lets it go again (then it decides at once).
     */
    public void hold(boolean hold) {
        held = hold;
        if (!hold) reconsider();
    }

    /** The latest decision, for the heartbeat and the owner's status; null before the first. */
    public DeskDecision lastDecision() {
        return last;
    }

    private void apply() {
        if (held) return;
        Instant now = clock.instant();
        OwnerNow o = owner.get();
        DeskDecision d = DeskPlan.decide(now, o.present(), o.idleFor(), overloadUntil.get(), outlook.get(), settings);
        DeskDecision before = last;
        last = d;
        if (before == null || before.target() != d.target() || !Objects.equals(before.cpuCap(), d.cpuCap())) {
            log.info(
                    "desk: VM {} ({})",
                    d.target().name().toLowerCase(java.util.Locale.ROOT),
                    String.join("; ", d.reasons()));
        }
        try {
            DeskVmStatus s = vm.status();
            moveTo(d, s.state());
            s = vm.status();
            if (s.state() == DeskVmState.RUNNING || s.state() == DeskVmState.PAUSED) {
                if (!Objects.equals(s.cpuCapCores(), d.cpuCap())) vm.setCpuCap(d.cpuCap());
                if (!Objects.equals(s.cpuWeight(), d.cpuWeight())) vm.setCpuWeight(d.cpuWeight());
            }
        } catch (DeskException e) {
            log.warn("desk: cannot bring the VM to {}: {}", d.target(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("desk: keeper failed", e);
        }
        schedule(d.reconsiderAt(), now);
    }

    private void moveTo(DeskDecision d, DeskVmState state) throws DeskException {
        if (state == DeskVmState.STOPPED || state == DeskVmState.FAILED || state == DeskVmState.RESTORING) return;
        switch (d.target()) {
            case RUNNING -> {
                if (state == DeskVmState.SAVED) vm.restore();
                if (vm.status().state() == DeskVmState.PAUSED) vm.resume();
                if (d.fullMemory()) vm.setBalloon(memoryMaxMiB);
            }
            case PAUSED -> {
                if (state == DeskVmState.SAVED) vm.restore();
                if (vm.status().state() == DeskVmState.RUNNING) {
                    // The guest gives its memory back while it can still run its balloon driver.
                    vm.setBalloon(memoryMinMiB);
                    vm.pause();
                }
            }
            case SAVED -> {
                if (state == DeskVmState.RUNNING || state == DeskVmState.PAUSED) vm.save();
            }
        }
    }

    private synchronized void schedule(Instant at, Instant now) {
        if (pending != null) pending.cancel(false);
        pending = null;
        if (at == null || thread.isShutdown()) return;
        long delay = Math.max(0, Duration.between(now, at).toMillis());
        pending = thread.schedule(this::apply, delay, TimeUnit.MILLISECONDS);
    }

    /** Stops reconsidering; the VM stays where it is (it outlives the agent). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
