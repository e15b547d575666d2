package org.cyphon.agent.desk;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.core.protocol.DeskCommand;
import org.cyphon.core.protocol.DeskCommandResult;
import org.cyphon.core.protocol.DeskVmView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's desk VM at work: carries out the administrators' desk commands the coordinator
 * queues for this machine, and keeps the desk's latest view for the heartbeat.
 *
 * <p>Two threads of its own, both platform threads: a desk operation blocks for up to a minute (a
 * save) inside the VM's monitor, and a virtual thread blocked there would pin one of the agent's
 * few carrier threads, starving its heartbeat of the CPU it needs to keep the leases. The command
 * thread long-polls and carries out one command at a time (the VM does one thing at a time anyway);
 * the view thread reads the desk every {@link #REFRESH_EVERY}, so a heartbeat never waits for a
 * desk operation and a VM that died by itself shows within seconds.
 *
 * <p>{@link #close()} lets go of the VM and leaves it running: the next agent takes it over.
 */
public final class AgentDesk implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentDesk.class);
    static final Duration REFRESH_EVERY = Duration.ofSeconds(5);
    private static final Duration LONG_POLL = Duration.ofSeconds(25);
    /** How long an answer is retried while the coordinator is unreachable; a later one nobody waits for. */
    private static final Duration ANSWER_RETRY_FOR = Duration.ofMinutes(2);

    private final DeskConfig config;
    private final DeskVm vm;
    private volatile DeskVmView view;
    private volatile boolean running = true;
    private Thread commands;
    private Thread refresher;

    private AgentDesk(DeskConfig config, DeskVm vm) {
        this.config = config;
        this.vm = vm;
        this.view = read();
    }

    /**
     * Opens the desk's VM (taking over one that runs already) and reads its state once.
     *
     * @throws DeskException when the backend cannot be used here (its programs are missing)
     */
    public static AgentDesk open(DeskConfig config) throws DeskException {
        AgentDesk desk = new AgentDesk(config, DeskVms.open(config));
        DeskVmView v = desk.view;
        log.info(
                "desk {}: {} backend, {}{}",
                config.spec().name(),
                config.backend().configName(),
                v.state(),
                v.accel() == null ? "" : " under " + v.accel());
        return desk;
    }

    /** Starts serving the coordinator's desk commands (carried out on the VM directly) and refreshing the view. */
    public synchronized void serve(DeskCommandClient client) {
        serve(client, c -> CarryOutDeskCommand.run(vm, c, this::read));
    }

    /**
     * Starts serving the coordinator's desk commands, each carried out by {@code carryOut} (the
     * desk's controller, so that its plan and the administrators' actions go through one place),
     * and refreshing the view.
     */
    public synchronized void serve(DeskCommandClient client, Function<DeskCommand, DeskCommandResult> carryOut) {
        if (commands != null) return;
        commands = Thread.ofPlatform().daemon().name("desk-commands").start(() -> commandLoop(client, carryOut));
        refresher = Thread.ofPlatform().daemon().name("desk-view").start(this::refreshLoop);
    }

    /** The desk as last read (at most {@link #REFRESH_EVERY} old, or fresher after a command). */
    public DeskVmView view() {
        return view;
    }

    public DeskVm vm() {
        return vm;
    }

    @Override
    public void close() {
        running = false;
        Thread r;
        synchronized (this) {
            r = refresher;
        }
        // The command thread is not interrupted: it may be in the middle of a save, which must finish.
        // It stops after its current poll; close() below waits for a running operation (the VM's monitor).
        if (r != null) r.interrupt();
        vm.close();
    }

    /** Reads the desk now (after a change, so the next heartbeat carries it); returns what it read. */
    public DeskVmView refresh() {
        DeskVmView v = read();
        view = v;
        return v;
    }

    private void commandLoop(DeskCommandClient client, Function<DeskCommand, DeskCommandResult> carryOut) {
        long backoff = 500;
        while (running) {
            try {
                List<DeskCommand> todo = client.poll(LONG_POLL);
                backoff = 500;
                if (!running) return; // closing: what came is left unanswered, and the coordinator says so
                for (DeskCommand c : todo) {
                    DeskCommandResult result = carryOut.apply(c);
                    if (result.vm() != null) view = result.vm();
                    answer(client, result);
                }
            } catch (CoordinatorUnreachableException e) {
                backoff = pause("desk command poll", e.getMessage(), backoff);
            } catch (CoordinatorRefusedException e) {
                // 401 while the agent enrolls again; 404 from a coordinator without desk commands.
                backoff = pause("desk command poll", e.getMessage(), Math.max(backoff, 5_000));
            } catch (RuntimeException e) {
                log.error("desk {}: command loop error", config.spec().name(), e);
                backoff = pause("desk command poll", e.toString(), backoff);
            }
        }
    }

    private void answer(DeskCommandClient client, DeskCommandResult result) {
        Instant giveUp = Instant.now().plus(ANSWER_RETRY_FOR);
        long backoff = 500;
        while (running) {
            try {
                client.answer(result);
                return;
            } catch (CoordinatorUnreachableException e) {
                if (Instant.now().isAfter(giveUp)) break;
                backoff = pause("desk command answer", e.getMessage(), backoff);
            } catch (CoordinatorRefusedException e) {
                log.warn(
                        "desk {}: the coordinator refused the answer to desk command {}: {}",
                        config.spec().name(),
                        result.id(),
                        e.getMessage());
                return;
            }
        }
        log.warn(
                "desk {}: desk command {} ({}) answered nobody: the coordinator was unreachable for {}",
                config.spec().name(),
                result.id(),
                result.outcome(),
                ANSWER_RETRY_FOR);
    }

    private void refreshLoop() {
        while (running) {
            try {
                Thread.sleep(REFRESH_EVERY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            view = read();
        }
    }

    /** The desk now; a status that cannot be read is shown as such, with why. */
    private DeskVmView read() {
        try {
            DeskVmStatus s = vm.status();
            return DeskViews.of(s, config, DeskVms.serialConsole(vm, s), Instant.now());
        } catch (DeskException | RuntimeException e) {
            return DeskViews.unreadable(config, e.getMessage(), Instant.now());
        }
    }

    private long pause(String what, String why, long backoff) {
        if (running)
            log.warn("desk {}: {} failed ({}); retrying in {} ms", config.spec().name(), what, why, backoff);
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return Math.min(backoff * 2, 30_000);
    }
}
