package org.cyphon.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cyphon.agent.desk.BalloonSqueeze;
import org.cyphon.agent.desk.CarryOutDeskCommand;
import org.cyphon.agent.desk.DeskException;
import org.cyphon.agent.desk.DeskVm;
import org.cyphon.agent.desk.DeskVmState;
import org.cyphon.agent.desk.DeskVmStatus;
import org.cyphon.core.desk.AdminHold;
import org.cyphon.core.desk.DeskDecision;
import org.cyphon.core.desk.DeskMove;
import org.cyphon.core.desk.DeskNext;
import org.cyphon.core.desk.DeskPlan;
import org.cyphon.core.desk.DeskPlanSettings;
import org.cyphon.core.desk.DeskRule;
import org.cyphon.core.desk.OwnerOutlook;
import org.cyphon.core.desk.VmTarget;
import org.cyphon.core.protocol.DeskCommand;
import org.cyphon.core.protocol.DeskCommandResult;
import org.cyphon.core.protocol.DeskEvent;
import org.cyphon.core.protocol.DeskVmView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk's one controller: the only thing that changes the owner's desk VM. The keeper's plan
 * ({@link DeskPlan}: running while the owner works, paused while they are away, saved at night,
 * back ahead of desk hours, capped during an overload), the administrators' desk actions and the
 * VM's own life all go through its single thread, and core's {@link DeskRule} says who wins: an
 * administrator's action holds the VM where it left it until released or for the time they gave,
 * and otherwise the plan decides. After every transition, whoever caused it, the CPU cap and weight
 * are set again from the plan.
 *
 * <p>Every state change that is not an administrator's action (the coordinator records those) is
 * sent to the desk audit log as a {@link DeskEvent}: the keeper's own pause, save, restore and
 * resume with the plan's reasons, a cap the overload sets, a hold that ended, and a VM that died or
 * shut down by itself ({@link #watch}). Reads are not events.
 *
 * <p>Reconsidered when the owner comes or goes ({@link #reconsider()} from the owner-first loop),
 * when the overload or the outlook changes, at the instant the plan or a hold names, and after
 * every administrator's action; on its own thread, because a save or a restore takes seconds and
 * the owner-first loop must not wait for it.
 */
public final class DeskKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeskKeeper.class);
    /** Steps the rule may ask for in one look (a restore, then a resume or a pause). */
    private static final int MAX_STEPS = 4;

    /** The owner as the owner-first loop sees them now. */
    public record OwnerNow(boolean present, Duration idleFor) {}

    /**
     * Where the controller stands after its latest look: the plan, the rule's move, what comes next.
     *
     * @param state the VM's state as it left it
     */
    public record Standing(DeskDecision plan, DeskMove move, DeskNext next, DeskVmState state) {}

    /** What the keeper reports besides moving the VM. */
    public record Reports(Consumer<DeskEvent> events, Path holdFile, Runnable changed) {
        /** Reports nowhere, keeps no hold across restarts (tests that only watch the VM). */
        public static final Reports NONE = new Reports(e -> {}, null, () -> {});
    }

    private final DeskVm vm;
    private final DeskPlanSettings settings;
    private final long memoryMaxMiB;
    private final long memoryMinMiB;
    private final Supplier<OwnerNow> owner;
    private final Supplier<Instant> overloadUntil;
    private final Supplier<OwnerOutlook> outlook;
    private final Clock clock;
    private final Reports reports;
    private final ScheduledExecutorService thread;
    private ScheduledFuture<?> pending;
    private ScheduledFuture<?> watching;
    /** The administrator's hold; on the keeper's thread only. */
    private AdminHold hold;
    /** The state the keeper last saw or left the VM in, to tell what the VM did by itself; keeper's thread. */
    private DeskVmState seen;
    /**
     * The desk is going down (power-off or sleep): the VM stays where {@link #saveForPowerOff} left
     * it until {@link #deskBack}; keeper's thread. Apart from the administrator's hold, which it
     * neither replaces nor ends (nor is kept across restarts: the next boot is the desk back).
     */
    private boolean goingDown;

    private volatile Standing latest;

    public DeskKeeper(
            DeskVm vm,
            DeskPlanSettings settings,
            long memoryMaxMiB,
            long memoryMinMiB,
            Supplier<OwnerNow> owner,
            Supplier<Instant> overloadUntil,
            Clock clock) {
        this(
                vm,
                settings,
                memoryMaxMiB,
                memoryMinMiB,
                owner,
                overloadUntil,
                () -> OwnerOutlook.UNKNOWN,
                clock,
                Reports.NONE);
    }

    /**
     * @param outlook what the pool's track record expects of the owner (from the heartbeat reply)
     * @param reports where the audit events go, where the hold is kept, whom to tell of a change
     */
    public DeskKeeper(
            DeskVm vm,
            DeskPlanSettings settings,
            long memoryMaxMiB,
            long memoryMinMiB,
            Supplier<OwnerNow> owner,
            Supplier<Instant> overloadUntil,
            Supplier<OwnerOutlook> outlook,
            Clock clock,
            Reports reports) {
        this.vm = Objects.requireNonNull(vm);
        this.settings = settings;
        this.memoryMaxMiB = memoryMaxMiB;
        this.memoryMinMiB = memoryMinMiB;
        this.owner = owner;
        this.overloadUntil = overloadUntil;
        this.outlook = outlook;
        this.clock = clock;
        this.reports = reports;
        this.hold = HoldFile.load(reports.holdFile());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "desk-keeper");
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks for a fresh look soon, on the keeper's thread; cheap and safe from any thread. */
    public void reconsider() {
        try {
            thread.execute(this::apply);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Looks now and waits for the VM to get there (tests; the first look at agent start). */
    public DeskDecision reconsiderAndWait() throws Exception {
        return thread.submit(() -> {
                    apply();
                    return latest.plan();
                })
                .get(5, TimeUnit.MINUTES);
    }

    /** Reads the VM every {@code every}, to notice what it does by itself (dies, shuts down). */
    public synchronized void watchEvery(Duration every) {
        if (watching != null) watching.cancel(false);
        watching =
                thread.scheduleWithFixedDelay(this::watch, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One look at what the VM did by itself, now, waiting for it (tests). */
    public void watchAndWait() throws Exception {
        thread.submit(this::watch).get(5, TimeUnit.MINUTES);
    }

    /**
     * Carries out an administrator's desk command on the keeper's thread, between its own steps,
     * and answers with the desk as it is after it (and after the rule had its say).
     */
    public DeskCommandResult carryOut(DeskCommand c, Supplier<DeskVmView> view) {
        Future<DeskCommandResult> f;
        try {
            f = thread.submit(() -> runCommand(c, view));
        } catch (RejectedExecutionException e) {
            return new DeskCommandResult(c.id(), "failed", "the agent is shutting down", view.get(), null);
        }
        try {
            return f.get(c.waitSeconds() + 60L, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return new DeskCommandResult(
                    c.id(), "failed", "the desk keeper is still busy with an earlier operation", view.get(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeskCommandResult(c.id(), "failed", "interrupted", view.get(), null);
        } catch (ExecutionException e) {
            return new DeskCommandResult(
                    c.id(), "failed", "internal error in the agent: " + e.getCause(), view.get(), null);
        }
    }

    /**
     * The desk is going down (power-off or sleep): on the keeper's thread, between its own steps and
     * the administrators' commands, a running or paused VM is saved to disk (its RAM survives), and
     * the keeper stands still until {@link #deskBack}, so neither its plan, a hold, nor a watch brings
     * the VM back while the machine goes down. An administrator's hold stays as it was: after the
     * resume or the reboot the rule applies it again (a VM an administrator saved stays saved).
     *
     * @return what became of the VM, for the log
     */
    public String saveForPowerOff() {
        Future<String> f;
        try {
            f = thread.submit(this::goDown);
        } catch (RejectedExecutionException e) {
            return "not saved: the agent is shutting down";
        }
        try {
            return f.get(5, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            return "not saved: the desk keeper is still busy with an earlier operation";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not saved: interrupted";
        } catch (ExecutionException e) {
            return "not saved: " + e.getCause();
        }
    }

    /** The desk is up again (the resume from sleep): the keeper decides again at once. */
    public void deskBack() {
        try {
            thread.execute(() -> {
                goingDown = false;
                apply();
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Starts a stopped VM for the owner at their own desk (their desk session asked for it): the
     * one start that is not an administrator's, on the keeper's thread and on record, and the rule
     * asked again after it (it brings the VM where the plan says: running, the owner is here).
     *
     * @param who the owner's account, for the record
     * @throws DeskException the VM could not be started
     */
    public void startForOwner(String who) throws DeskException {
        Future<DeskException> f;
        try {
            f = thread.submit(() -> {
                DeskVmState state = readState();
                if (state != DeskVmState.STOPPED || goingDown) {
                    apply();
                    return null;
                }
                try {
                    vm.start();
                } catch (DeskException e) {
                    seen = readState();
                    event(who, "owner", "start", "", "failed", e.getMessage() + " (the owner's desk session asked)");
                    return e;
                }
                seen = readState(); // the owner's doing, not the VM's
                event(who, "owner", "start", "", "ok", "started: the owner's desk session asked for the VM");
                apply();
                return null;
            });
        } catch (RejectedExecutionException e) {
            throw new DeskException(DeskException.Kind.FAILED, "the agent is shutting down", e);
        }
        DeskException failed;
        try {
            failed = f.get(5, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            throw new DeskException(
                    DeskException.Kind.FAILED, "the desk keeper is still busy with an earlier operation", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeskException(DeskException.Kind.FAILED, "interrupted", e);
        } catch (ExecutionException e) {
            throw new DeskException(DeskException.Kind.FAILED, "internal error in the agent: " + e.getCause(), e);
        }
        if (failed != null) throw failed;
    }

    /** The latest plan, for the heartbeat and the owner's status; null before the first look. */
    public DeskDecision lastDecision() {
        Standing s = latest;
        return s == null ? null : s.plan();
    }

    /** Where the controller stands; null before the first look. */
    public Standing standing() {
        return latest;
    }

    // --- on the keeper's thread --------------------------------------------------------------

    private DeskCommandResult runCommand(DeskCommand c, Supplier<DeskVmView> view) {
        Instant now = clock.instant();
        String who = c.who() == null ? "admin" : c.who();
        boolean reading = c.action().equals("status") || c.action().equals("screenshot");
        if (goingDown && !reading) {
            // The machine is powering off or going to sleep: the VM was saved for it and stays so.
            return new DeskCommandResult(
                    c.id(),
                    "refused",
                    "the desk is going down (power-off or sleep): its VM stays saved until the desk is back",
                    view.get(),
                    null);
        }
        if (c.action().equals("release")) {
            AdminHold was = hold;
            setHold(null);
            apply();
            Standing s = latest;
            String then = s == null || s.move().target() == null
                    ? "it stays " + word(s == null ? null : s.state())
                    : "the keeper takes it to " + word(s.move().target());
            String message = was == null
                    ? "nothing was held; the keeper's plan applies (" + then + ")"
                    : "released (it was " + was.describe() + "): the keeper's plan applies again, " + then;
            return new DeskCommandResult(c.id(), "ok", message, view.get(), null);
        }
        DeskCommandResult done = CarryOutDeskCommand.run(vm, c, () -> null);
        boolean read = c.action().equals("status") || c.action().equals("screenshot");
        if (read) return new DeskCommandResult(done.id(), done.outcome(), done.message(), view.get(), done.png());
        seen = readState(); // the administrator's doing, not the VM's
        if (done.outcome().equals("ok")) {
            VmTarget held = AdminHold.heldBy(c.action());
            if (held != null) {
                Instant until = c.holdSeconds() == null ? null : now.plusSeconds(c.holdSeconds());
                setHold(new AdminHold(held, who, c.action(), now, until));
            } else {
                setHold(null); // stop, poweroff, reimage: a stopped VM is left alone anyway
            }
        }
        apply(); // the rule's say, and the cap and weight set again after the administrator's transition
        // The view after it shows the hold (DeskVmView.control), so the message is the action's own.
        return new DeskCommandResult(done.id(), done.outcome(), done.message(), view.get(), done.png());
    }

    private String goDown() {
        goingDown = true;
        DeskVmState state = readState();
        if (state != DeskVmState.RUNNING && state != DeskVmState.PAUSED) {
            return "nothing to save (" + word(state) + ")";
        }
        try {
            vm.save();
        } catch (DeskException e) {
            seen = readState();
            event("keeper", "keeper", "save", "", "failed", e.getMessage() + " (wanted because the desk goes down)");
            return "not saved: " + e.getMessage();
        }
        seen = readState();
        event(
                "keeper",
                "keeper",
                "save",
                "",
                "ok",
                "saved to disk, its memory free: the desk goes down (power-off or sleep); back after it");
        reports.changed().run();
        return "saved to disk";
    }

    /** A look at the VM alone: what it did by itself is an event, and the rule is asked again. */
    private void watch() {
        try {
            DeskVmStatus s = vm.status();
            if (noticeByItself(s)) apply();
        } catch (DeskException | RuntimeException e) {
            log.debug("desk: cannot read the VM: {}", e.getMessage());
        }
    }

    private void apply() {
        if (goingDown) return; // the VM stays saved until the desk is back (deskBack)
        Instant now = clock.instant();
        OwnerNow o = owner.get();
        Instant overload = overloadUntil.get();
        OwnerOutlook look = Objects.requireNonNullElse(outlook.get(), OwnerOutlook.UNKNOWN);
        DeskDecision plan = DeskPlan.decide(now, o.present(), o.idleFor(), overload, look, settings);
        Standing before = latest;
        DeskMove move = null;
        DeskVmState state = null;
        try {
            for (int i = 0; i < MAX_STEPS; i++) {
                DeskVmStatus s = vm.status();
                noticeByItself(s);
                state = s.state();
                move = DeskRule.decide(now, plan, hold, state.toCore());
                if (move.holdEnded()) {
                    event(
                            "keeper",
                            "keeper",
                            "hold-ended",
                            "",
                            "ok",
                            move.reasons().getFirst());
                    setHold(null);
                }
                if (move.step() == null) break;
                if (!step(move, s)) break;
            }
            DeskVmStatus s = vm.status();
            state = s.state();
            seen = state;
            if (move != null) settle(move, s);
        } catch (DeskException e) {
            log.warn("desk: cannot read the VM: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("desk: keeper failed", e);
        }
        if (move == null) move = DeskRule.decide(now, plan, hold, org.cyphon.core.desk.VmState.UNKNOWN);
        DeskNext next = DeskRule.next(
                now,
                move,
                state == null ? org.cyphon.core.desk.VmState.UNKNOWN : state.toCore(),
                o.present(),
                o.idleFor(),
                overload,
                look,
                settings);
        latest = new Standing(plan, move, next, state);
        if (before == null
                || before.move().target() != move.target()
                || !Objects.equals(before.move().cpuCap(), move.cpuCap())
                || !Objects.equals(before.move().decidedBy(), move.decidedBy())) {
            log.info(
                    "desk: VM {} by the {}'s word ({})",
                    move.target() == null ? "left " + word(state) : word(move.target()),
                    move.decidedBy(),
                    String.join("; ", move.reasons()));
        }
        schedule(move.reconsiderAt(), now);
        reports.changed().run();
    }

    /** Carries out one step of the rule, on record; false when it failed (the next look tries again). */
    private boolean step(DeskMove move, DeskVmStatus s) {
        String why = String.join("; ", move.reasons());
        String action = move.step().name().toLowerCase(Locale.ROOT);
        try {
            String done = switch (move.step()) {
                case RESTORE -> {
                    vm.restore();
                    yield "restored";
                }
                case RESUME -> {
                    vm.resume();
                    yield "resumed";
                }
                case PAUSE -> {
                    String squeezed =
                            move.squeezeFirst() ? BalloonSqueeze.squeeze(vm, s, memoryMinMiB) + ", then " : "";
                    vm.pause();
                    yield squeezed + "paused";
                }
                case SAVE -> {
                    vm.save();
                    yield "saved to disk, its memory free";
                }
            };
            seen = readState();
            event("keeper", "keeper", action, "", "ok", done + ": " + why);
            return true;
        } catch (DeskException e) {
            log.warn("desk: cannot {} the VM: {}", action, e.getMessage());
            seen = readState();
            event("keeper", "keeper", action, "", "failed", e.getMessage() + " (wanted because: " + why + ")");
            return false;
        }
    }

    /** After a transition, whoever made it: all its memory to a running guest, the cap and weight the plan says. */
    private void settle(DeskMove move, DeskVmStatus s) {
        if (!s.hasProcess() || (s.state() != DeskVmState.RUNNING && s.state() != DeskVmState.PAUSED)) return;
        try {
            boolean squeezed = s.balloonTargetMiB() != null
                    ? s.balloonTargetMiB() < memoryMaxMiB
                    : s.balloonMiB() != null && s.balloonMiB() < memoryMaxMiB;
            if (move.fullMemory() && s.state() == DeskVmState.RUNNING && squeezed) vm.setBalloon(memoryMaxMiB);
        } catch (DeskException e) {
            log.warn("desk: cannot give the VM its memory back: {}", e.getMessage());
        }
        try {
            if (!Objects.equals(s.cpuCapCores(), move.cpuCap())) {
                vm.setCpuCap(move.cpuCap());
                event(
                        "keeper",
                        "keeper",
                        "cap",
                        move.cpuCap() == null ? "none" : move.cpuCap() + " cpus",
                        "ok",
                        move.cpuCap() == null
                                ? "cap lifted: the overload is over"
                                : "held to " + move.cpuCap() + " CPUs while the overload lasts (overload_cpu_floor)");
            }
        } catch (DeskException e) {
            log.warn("desk: cannot set the VM's CPU cap: {}", e.getMessage());
        }
        try {
            if (!Objects.equals(s.cpuWeight(), move.cpuWeight())) vm.setCpuWeight(move.cpuWeight());
        } catch (DeskException e) {
            log.warn("desk: cannot set the VM's CPU weight: {}", e.getMessage());
        }
    }

    /**
     * Compares what the VM is with what the keeper last saw or made of it: a VM that died or shut
     * down while nobody asked is put on record.
     *
     * @return whether it changed by itself
     */
    private boolean noticeByItself(DeskVmStatus s) {
        DeskVmState was = seen;
        DeskVmState now = s.state();
        seen = now;
        if (was == null && now == DeskVmState.FAILED) {
            // It died while no agent watched it (or before this one started): still on record.
            event("vm", "vm", "failed", "", "failed", "found failed when the agent started: " + s.failure());
            return false;
        }
        if (was == null || was == now || now == DeskVmState.RESTORING || was == DeskVmState.RESTORING) return false;
        if (now == DeskVmState.FAILED) {
            event("vm", "vm", "failed", "", "failed", s.failure() == null ? "the VM failed" : s.failure());
        } else if (now == DeskVmState.STOPPED) {
            event("vm", "vm", "stopped", "", "ok", "the guest shut down by itself (from " + word(was) + ")");
        } else {
            event("vm", "vm", word(now), "", "ok", "the VM went from " + word(was) + " to " + word(now) + " by itself");
        }
        return true;
    }

    private DeskVmState readState() {
        try {
            return vm.status().state();
        } catch (DeskException e) {
            return null;
        }
    }

    private void setHold(AdminHold h) {
        hold = h;
        HoldFile.store(reports.holdFile(), h);
    }

    private void event(String principal, String role, String action, String arguments, String result, String why) {
        reports.events()
                .accept(new DeskEvent(
                        UUID.randomUUID().toString(),
                        clock.instant(),
                        principal,
                        role,
                        action,
                        arguments,
                        result,
                        why));
    }

    private static String word(Enum<?> e) {
        return e == null ? "unknown" : e.name().toLowerCase(Locale.ROOT);
    }

    private synchronized void schedule(Instant at, Instant now) {
        if (pending != null) pending.cancel(false);
        pending = null;
        if (at == null || thread.isShutdown()) return;
        long delay = Math.max(0, Duration.between(now, at).toMillis());
        try {
            pending = thread.schedule(this::apply, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
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
