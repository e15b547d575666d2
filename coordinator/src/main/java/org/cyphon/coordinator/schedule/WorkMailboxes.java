package org.cyphon.coordinator.schedule;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.cyphon.coordinator.PollTimeouts;
import org.cyphon.core.protocol.WorkAssignment;

/**
 * Per machine, the committed assignments its agent has not fetched yet, and the agent's waiting
 * long poll ({@code GET /agents/{m}/work}). A delivery completes the waiting poll at once, so
 * dispatch never waits for the next heartbeat. Polls wait asynchronously: a thousand idle agents
 * hold no threads.
 *
 * <p>Each assignment is handed out once. If the reply is lost on the way, the attempt is never
 * acknowledged by a heartbeat, its lease runs out and the job is queued again.
 */
public final class WorkMailboxes implements AutoCloseable {
    private static final class Mailbox {
        final ArrayDeque<WorkAssignment> pending = new ArrayDeque<>();
        CompletableFuture<List<WorkAssignment>> waiter;
    }

    private final Map<String, Mailbox> boxes = new ConcurrentHashMap<>();
    /** The latest tokens fetched from here, oldest first: never handed out again from the store ({@link DeliverStoredWork}). */
    private final java.util.LinkedHashSet<Long> taken = new java.util.LinkedHashSet<>();

    private static final int TAKEN_REMEMBERED = 100_000;
    private volatile boolean closed;
    private final PollTimeouts timers = new PollTimeouts("cyphon-long-poll-timer");

    /** Adds work for the machine and wakes its waiting poll. */
    public void deliver(String machine, List<WorkAssignment> work) {
        if (work.isEmpty()) return;
        Mailbox box = boxes.computeIfAbsent(machine, m -> new Mailbox());
        synchronized (box) {
            box.pending.addAll(work);
            if (box.waiter != null) {
                CompletableFuture<List<WorkAssignment>> w = box.waiter;
                box.waiter = null;
                w.complete(drain(box));
            }
        }
    }

    /**
     * The machine's pending work: at once if there is some, else when some is delivered, else an
     * empty list after {@code wait}. A new poll from the same machine ends the previous one (empty).
     */
    public CompletableFuture<List<WorkAssignment>> take(String machine, Duration wait) {
        Mailbox box = boxes.computeIfAbsent(machine, m -> new Mailbox());
        CompletableFuture<List<WorkAssignment>> f = new CompletableFuture<>();
        synchronized (box) {
            if (!box.pending.isEmpty() || wait.isZero() || closed) {
                f.complete(drain(box));
                return f;
            }
            if (box.waiter != null) box.waiter.complete(List.of());
            box.waiter = f;
        }
        Runnable timeout = () -> {
            synchronized (box) {
                if (box.waiter == f) box.waiter = null;
            }
            f.complete(List.of());
        };
        timers.endAfter(f, wait, timeout);
        return f;
    }

    /**
     * Fencing tokens of the machine's assignments still waiting to be fetched. Their agent is alive
     * (it is heartbeating) but busy, e.g. starting other jobs on a loaded desk: their leases are
     * renewed with the heartbeat, so slowness alone never loses an attempt.
     */
    public List<Long> pendingTokens(String machine) {
        Mailbox box = boxes.get(machine);
        if (box == null) return List.of();
        synchronized (box) {
            return box.pending.stream().map(WorkAssignment::fencingToken).toList();
        }
    }

    /** Takes back an assignment not yet fetched (its job was cancelled or held). */
    public void withdraw(String machine, long fencingToken) {
        Mailbox box = boxes.get(machine);
        if (box == null) return;
        synchronized (box) {
            box.pending.removeIf(w -> w.fencingToken() == fencingToken);
        }
    }

    /** The machines whose polls wait for work now (at this coordinator). */
    public java.util.Set<String> waitingMachines() {
        java.util.Set<String> out = new java.util.HashSet<>();
        boxes.forEach((machine, box) -> {
            synchronized (box) {
                if (box.waiter != null) out.add(machine);
            }
        });
        return out;
    }

    /** Every assignment waiting to be fetched here, by fencing token. */
    public java.util.Set<Long> allPendingTokens() {
        return pendingTokens(false);
    }

    /** The tokens of every assignment waiting here or lately fetched from here. */
    public java.util.Set<Long> pendingOrTaken() {
        return pendingTokens(true);
    }

    private java.util.Set<Long> pendingTokens(boolean withTaken) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        if (withTaken) {
            synchronized (taken) {
                out.addAll(taken);
            }
        }
        for (Mailbox box : boxes.values()) {
            synchronized (box) {
                for (WorkAssignment w : box.pending) out.add(w.fencingToken());
            }
        }
        return out;
    }

    /**
     * Takes back the assignments with these tokens not fetched yet: another coordinator handed them
     * out, or their attempt ended, so fetching them here later would start work twice.
     */
    public void withdrawAll(java.util.Set<Long> tokens) {
        if (tokens.isEmpty()) return;
        for (Mailbox box : boxes.values()) {
            synchronized (box) {
                box.pending.removeIf(w -> tokens.contains(w.fencingToken()));
            }
        }
    }

    /** How many machines' polls are waiting for work now. */
    public int waitingPolls() {
        int n = 0;
        for (Mailbox box : boxes.values()) {
            synchronized (box) {
                if (box.waiter != null) n++;
            }
        }
        return n;
    }

    /** Polls' timeouts still queued: one per poll waiting, none for a poll that ended. */
    public int timeoutsWaiting() {
        return timers.waiting();
    }

    /** Ends every waiting poll (empty) and stops the timers. */
    @Override
    public void close() {
        closed = true;
        for (Mailbox box : boxes.values()) {
            synchronized (box) {
                if (box.waiter != null) box.waiter.complete(List.of());
                box.waiter = null;
            }
        }
        timers.close();
    }

    private List<WorkAssignment> drain(Mailbox box) {
        List<WorkAssignment> out = new ArrayList<>(box.pending);
        box.pending.clear();
        if (!out.isEmpty()) {
            synchronized (taken) {
                for (WorkAssignment w : out) taken.add(w.fencingToken());
                var it = taken.iterator();
                while (taken.size() > TAKEN_REMEMBERED) {
                    it.next();
                    it.remove();
                }
            }
        }
        return out;
    }
}
