package org.cyphon.coordinator.desk;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.cyphon.coordinator.PollTimeouts;
import org.cyphon.core.protocol.DeskCommand;
import org.cyphon.core.protocol.DeskCommandResult;

/**
 * Per machine: the desk commands its agent has not fetched yet, the agent's waiting long poll
 * ({@code GET /agents/{m}/desk-commands}), and the administrators waiting for answers.
 *
 * <p>In memory only, on purpose: a desk command is worth carrying out only while the administrator
 * who asked waits for it (a "save" or "poweroff" an hour late would surprise everybody). What must
 * survive a restart, the record of what was asked and answered, is in the audit log. Polls wait
 * asynchronously, like the work long poll: a thousand idle desks hold no threads.
 */
final class DeskCommandQueue implements AutoCloseable {
    private static final class Mailbox {
        final ArrayDeque<DeskCommand> pending = new ArrayDeque<>();
        final Map<Long, CompletableFuture<DeskCommandResult>> waiting = new HashMap<>();
        CompletableFuture<List<DeskCommand>> poll;
    }

    private final Map<String, Mailbox> boxes = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final PollTimeouts timers = new PollTimeouts("cyphon-desk-poll-timer");

    /** Queues {@code command} for {@code machine}'s agent, wakes its poll, and returns its answer to come. */
    CompletableFuture<DeskCommandResult> send(String machine, DeskCommand command) {
        Mailbox box = boxes.computeIfAbsent(machine, m -> new Mailbox());
        CompletableFuture<DeskCommandResult> answer = new CompletableFuture<>();
        synchronized (box) {
            box.waiting.put(command.id(), answer);
            box.pending.add(command);
            if (box.poll != null) {
                CompletableFuture<List<DeskCommand>> p = box.poll;
                box.poll = null;
                p.complete(drain(box));
            }
        }
        return answer;
    }

    /**
     * Gives up on command {@code id}: nobody waits for its answer any more.
     *
     * @return true when the agent had not fetched it (it is withdrawn and will never run), false when it had
     */
    boolean giveUp(String machine, long id) {
        Mailbox box = boxes.get(machine);
        if (box == null) return false;
        synchronized (box) {
            box.waiting.remove(id);
            return box.pending.removeIf(c -> c.id() == id);
        }
    }

    /** Hands the agent's answer to whoever waits for it; false when nobody does (any more). */
    boolean answer(String machine, DeskCommandResult result) {
        Mailbox box = boxes.get(machine);
        if (box == null) return false;
        CompletableFuture<DeskCommandResult> waiter;
        synchronized (box) {
            waiter = box.waiting.remove(result.id());
        }
        return waiter != null && waiter.complete(result);
    }

    /**
     * The machine's pending commands: at once if there are some, else when one is sent, else an empty
     * list after {@code wait}. A new poll from the same machine ends the previous one (empty).
     */
    CompletableFuture<List<DeskCommand>> take(String machine, Duration wait) {
        Mailbox box = boxes.computeIfAbsent(machine, m -> new Mailbox());
        CompletableFuture<List<DeskCommand>> f = new CompletableFuture<>();
        synchronized (box) {
            if (!box.pending.isEmpty() || wait.isZero() || closed) {
                f.complete(drain(box));
                return f;
            }
            if (box.poll != null) box.poll.complete(List.of());
            box.poll = f;
        }
        Runnable timeout = () -> {
            synchronized (box) {
                if (box.poll == f) box.poll = null;
            }
            f.complete(List.of());
        };
        timers.endAfter(f, wait, timeout);
        return f;
    }

    /** Ends every waiting poll (empty) and stops the timers; waiting administrators get their timeouts. */
    @Override
    public void close() {
        closed = true;
        for (Mailbox box : boxes.values()) {
            synchronized (box) {
                if (box.poll != null) box.poll.complete(List.of());
                box.poll = null;
            }
        }
        timers.close();
    }

    private static List<DeskCommand> drain(Mailbox box) {
        List<DeskCommand> out = new ArrayList<>(box.pending);
        box.pending.clear();
        return out;
    }
}
