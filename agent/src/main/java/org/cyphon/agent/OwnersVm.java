package org.cyphon.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.desk.AgentDesk;
import org.cyphon.agent.desk.DeskCommandClient;
import org.cyphon.agent.desk.DeskException;
import org.cyphon.agent.desk.DeskSessionLink;
import org.cyphon.agent.desk.DeskSpec;
import org.cyphon.agent.desk.DeskVmState;
import org.cyphon.core.desk.AdminHold;
import org.cyphon.core.desk.VmMemory;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.protocol.DeskControlView;
import org.cyphon.core.protocol.DeskEvent;
import org.cyphon.core.protocol.DeskHoldView;
import org.cyphon.core.protocol.DeskVmView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's desk VM ({@code [desk]}) as this agent runs it: opened (taken over if an earlier agent
 * left it running) before the agent joins the pool, kept where its plan says by a {@link DeskKeeper}
 * that follows the owner, the pool's overload mode and the desk's track record, and through which
 * the administrators' desk commands go too. Closing it leaves the VM running: the next agent takes
 * it over.
 */
final class OwnersVm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OwnersVm.class);
    /** How often the keeper reads the VM to notice what it does by itself (dies, shuts down). */
    static final Duration WATCH_EVERY = Duration.ofSeconds(2);

    private final AgentConfig config;
    private final AgentDesk desk;
    /** Set by {@link #keep}, once the owner-first loop can say where the owner is. */
    private volatile DeskKeeper keeper;

    private volatile DeskSessionLink session;

    private OwnersVm(AgentConfig config, AgentDesk desk) {
        this.config = config;
        this.desk = desk;
    }

    /**
     * Opens the desk VM, before anything else starts: a bad {@code [desk]} stops the agent first.
     *
     * @throws IllegalArgumentException the VM cannot be used here (QEMU or virsh missing), saying what to install
     */
    static OwnersVm open(AgentConfig config) {
        try {
            return new OwnersVm(config, AgentDesk.open(config.desk()));
        } catch (DeskException e) {
            throw new IllegalArgumentException("agent.toml: [desk]: " + e.getMessage(), e);
        }
    }

    /**
     * Starts keeping it where its plan says, following the owner as {@code owner} sees them.
     *
     * @param events  where the keeper's and the VM's own state changes go (the desk audit log)
     * @param changed told after every change, so the next heartbeat carries it (the memory offer moves)
     */
    void keep(
            Supplier<DeskKeeper.OwnerNow> owner,
            PoolNews news,
            Clock clock,
            Consumer<DeskEvent> events,
            Runnable changed) {
        var spec = config.desk().spec();
        DeskKeeper k = new DeskKeeper(
                desk.vm(),
                config.desk().plan(),
                spec.memoryMaxMiB(),
                spec.memoryMinMiB(),
                owner,
                news::overloadUntil,
                news::outlook,
                clock,
                new DeskKeeper.Reports(events, config.desk().stateDir().resolve("hold.json"), () -> {
                    desk.refresh();
                    changed.run();
                }));
        keeper = k;
        k.watchEvery(WATCH_EVERY);
        k.reconsider();
    }

    /**
     * Listens for the owner's desk session ({@link DeskSessionLink}) when the desk has a display: its
     * sitting down goes to {@code sink} as the owner's input, and a stopped VM it asks for is started
     * through the keeper ({@link DeskKeeper#startForOwner}), so the controller knows it for the
     * owner's doing. A link that cannot be opened is logged and left out; the VM itself does not
     * depend on it.
     */
    void listenForSession(Consumer<OwnerSignal> sink, Clock clock) {
        var display = config.desk().spec().display();
        if (display.kind() != DeskSpec.DisplayKind.SPICE) return;
        try {
            session = DeskSessionLink.open(
                    display,
                    desk.vm(),
                    () -> {
                        DeskKeeper k = keeper;
                        if (k != null) k.startForOwner(display.user());
                        else desk.vm().start();
                    },
                    sink,
                    this::reconsider,
                    () -> {
                        DeskKeeper k = keeper;
                        DeskKeeper.Standing st = k == null ? null : k.standing();
                        return st == null ? null : st.move().hold();
                    },
                    clock);
            log.info("desk: the desk session of {} reaches the agent at {}", display.user(), display.sessionSocket());
        } catch (DeskException e) {
            log.warn("desk: no desk session link: {}", e.getMessage());
        }
    }

    /**
     * Takes the administrators' desk commands, as the machine the agent has joined the pool as;
     * each goes through the keeper, so its plan and the command never fight.
     */
    void serve(DeskCommandClient client) {
        desk.serve(client, c -> {
            DeskKeeper k = keeper;
            return k != null
                    ? k.carryOut(c, () -> {
                        desk.refresh();
                        return view(); // with the keeper's part: who decides, the hold, what comes next
                    })
                    : org.cyphon.agent.desk.CarryOutDeskCommand.run(desk.vm(), c, desk::refresh);
        });
    }

    /** The desk's controller; null until {@link #keep}. */
    DeskKeeper keeper() {
        return keeper;
    }

    /** Something the plan depends on changed (the owner, the overload, the outlook): decide again. */
    void reconsider() {
        DeskKeeper k = keeper;
        if (k != null) k.reconsider();
    }

    /**
     * The desk is going down (power-off or sleep): through the keeper, on its one thread (between
     * its own steps and the administrators' commands), a running or paused VM is saved to disk, so
     * its RAM survives, and the keeper stands still until {@link #deskBack}; on the next boot (or
     * after the resume) it brings the VM back as the rule says (an administrator's hold still
     * holds).
     *
     * @return what became of the VM, for the log
     */
    String saveForPowerOff() {
        DeskKeeper k = keeper;
        if (k != null) return k.saveForPowerOff();
        try {
            DeskVmState state = desk.vm().status().state();
            if (state != DeskVmState.RUNNING && state != DeskVmState.PAUSED)
                return "nothing to save (" + state.name().toLowerCase(Locale.ROOT) + ")";
            desk.vm().save();
            return "saved to disk";
        } catch (DeskException e) {
            return "not saved: " + e.getMessage();
        }
    }

    /** The desk is up again: the keeper decides where the VM goes (the owner back: restored). */
    void deskBack() {
        DeskKeeper k = keeper;
        if (k != null) k.deskBack();
    }

    /**
     * The VM as last read, with where the keeper is taking it (the DESK column shows both), whose
     * word that is, any administrator's hold and what comes next.
     */
    DeskVmView view() {
        DeskVmView view = desk.view();
        DeskKeeper k = keeper;
        DeskKeeper.Standing s = k == null ? null : k.standing();
        if (view == null || s == null) return view;
        DeskControlView read = view.control();
        AdminHold h = s.move().hold();
        DeskControlView control = new DeskControlView(
                s.move().decidedBy(),
                h == null
                        ? null
                        : new DeskHoldView(
                                h.state().name().toLowerCase(Locale.ROOT), h.by(), h.action(), h.since(), h.until()),
                s.next().words(),
                s.next().at(),
                read == null ? null : read.failure(),
                read == null ? null : read.memoryHeldMiB());
        String target =
                s.move().target() == null ? null : s.move().target().name().toLowerCase(Locale.ROOT);
        return view.withKeeper(target, control);
    }

    /**
     * What this desk offers to jobs: {@code machineBytes} minus the memory the VM holds in its
     * state now (core's {@link VmMemory}), for every heartbeat.
     */
    long memoryOffer(long machineBytes) {
        DeskVmView v = desk.view();
        Long held = v == null || v.control() == null ? null : v.control().memoryHeldMiB();
        return VmMemory.offerBytes(machineBytes, held == null ? v == null ? 0 : v.memoryMaxMiB() : held);
    }

    /** Why the VM is where it is, for {@code cyphon machine NAME}. */
    List<String> reasons() {
        DeskKeeper k = keeper;
        DeskKeeper.Standing s = k == null ? null : k.standing();
        if (s == null) return List.of();
        List<String> out = new ArrayList<>();
        s.move().reasons().forEach(r -> out.add("desk VM: " + r));
        out.add("desk VM next: " + s.next().words());
        return out;
    }

    @Override
    public void close() {
        DeskKeeper k = keeper;
        if (k != null) k.close();
        DeskSessionLink s = session;
        if (s != null) s.close();
        desk.close(); // the VM keeps running; the next agent takes it over
    }
}
