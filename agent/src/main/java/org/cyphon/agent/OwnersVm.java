package org.cyphon.agent;

import java.time.Clock;
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
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.protocol.DeskVmView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's desk VM ({@code [desk]}) as this agent runs it: opened (taken over if an earlier agent
 * left it running) before the agent joins the pool, kept where its plan says by a {@link DeskKeeper}
 * that follows the owner, the pool's overload mode and the desk's track record, and serving the
 * administrators' desk commands. Closing it leaves the VM running: the next agent takes it over.
 */
final class OwnersVm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OwnersVm.class);
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

    /** Starts keeping it where its plan says, following the owner as {@code owner} sees them. */
    void keep(Supplier<DeskKeeper.OwnerNow> owner, PoolNews news, Clock clock) {
        var spec = config.desk().spec();
        DeskKeeper k = new DeskKeeper(
                desk.vm(),
                config.desk().plan(),
                spec.memoryMaxMiB(),
                spec.memoryMinMiB(),
                owner,
                news::overloadUntil,
                news::outlook,
                clock);
        keeper = k;
        k.reconsider();
    }

    /**
     * Listens for the owner's desk session ({@link DeskSessionLink}) when the desk has a display: its
     * sitting down goes to {@code sink} as the owner's input. A link that cannot be opened is logged
     * and left out; the VM itself does not depend on it.
     */
    void listenForSession(Consumer<OwnerSignal> sink, Clock clock) {
        var display = config.desk().spec().display();
        if (display.kind() != DeskSpec.DisplayKind.SPICE) return;
        try {
            session = DeskSessionLink.open(display, desk.vm(), sink, this::reconsider, clock);
            log.info("desk: the desk session of {} reaches the agent at {}", display.user(), display.sessionSocket());
        } catch (DeskException e) {
            log.warn("desk: no desk session link: {}", e.getMessage());
        }
    }

    /** Takes the administrators' desk commands, as the machine the agent has joined the pool as. */
    void serve() {
        desk.serve(new DeskCommandClient(
                config.transport(),
                () -> AgentCredentials.load(config.stateDir())
                        .map(c -> new DeskCommandClient.Identity(c.machine(), c.token()))
                        .orElse(null)));
    }

    /** Something the plan depends on changed (the owner, the overload, the outlook): decide again. */
    void reconsider() {
        DeskKeeper k = keeper;
        if (k != null) k.reconsider();
    }

    /**
     * The desk is going down (power-off or sleep): the keeper is held still and a running or paused
     * VM is saved to disk, so its RAM survives; on the next boot (or after the resume, {@link
     * #deskBack}) the keeper brings it back as its plan says.
     *
     * @return what became of the VM, for the log
     */
    String saveForPowerOff() {
        DeskKeeper k = keeper;
        if (k != null) k.hold(true);
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
        if (k != null) k.hold(false);
    }

    /** The VM as last read, with where the keeper is taking it (the DESK column shows both). */
    DeskVmView view() {
        var view = desk.view();
        DeskKeeper k = keeper;
        if (view == null || k == null || k.lastDecision() == null) return view;
        return view.withKeeperTarget(k.lastDecision().target().name().toLowerCase(Locale.ROOT));
    }

    /** Why the VM is where it is, for {@code cyphon machine NAME}. */
    List<String> reasons() {
        DeskKeeper k = keeper;
        var d = k == null ? null : k.lastDecision();
        return d == null
                ? List.of()
                : d.reasons().stream().map(r -> "desk VM: " + r).toList();
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
