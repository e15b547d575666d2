package org.cyphon.coordinator.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.coordinator.ha.Leadership;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.CheckpointRow;
import org.cyphon.coordinator.store.CheckpointTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.protocol.WorkAssignment;

/**
 * With several coordinators on one store, the leader writes assignments, but an agent may be
 * long-polling another coordinator (the one it could reach). Each {@link #run} reads the live
 * attempts no agent has acknowledged yet and hands those of the machines polling here to their
 * polls; and takes back from this coordinator's mailboxes the assignments that have since been
 * fetched elsewhere or ended, so no agent fetches one twice from two coordinators. Alone on its
 * store a coordinator does nothing here: its own scheduler delivers to its own mailboxes.
 *
 * <p>An agent that does get an assignment twice (fetched here, its acknowledgement not yet
 * committed) ignores the repeat: it already holds that fencing token.
 */
public final class DeliverStoredWork {
    private final Database db;
    private final WorkMailboxes mailboxes;
    private final Leadership leadership;
    /** Tokens this coordinator already put in a mailbox from the store: each is handed out here once. */
    private final Set<Long> handedOut = new HashSet<>();

    public DeliverStoredWork(Database db, WorkMailboxes mailboxes, Leadership leadership) {
        this.db = db;
        this.mailboxes = mailboxes;
        this.leadership = leadership;
    }

    /** @return how many assignments were handed to polls waiting here */
    public synchronized int run() {
        if (!leadership.shared()) {
            handedOut.clear();
            return 0;
        }
        // Pending before the read: committed before it, so missing from it means fetched or ended.
        Set<Long> pendingBefore = mailboxes.allPendingTokens();
        Set<String> waiting = mailboxes.waitingMachines();
        record Unfetched(Set<Long> tokens, Map<String, List<WorkAssignment>> forWaiting) {}
        Unfetched u = db.transactions().read(c -> {
            List<AttemptRow> unacked =
                    AttemptTable.live(c).stream().filter(a -> !a.acknowledged()).toList();
            Set<Long> tokens = new HashSet<>();
            for (AttemptRow a : unacked) tokens.add(a.fencingToken());
            List<AttemptRow> toHand = unacked.stream()
                    .filter(a -> waiting.contains(a.machine()) && !handedOut.contains(a.fencingToken()))
                    .toList();
            Map<String, List<WorkAssignment>> out = new HashMap<>();
            if (toHand.isEmpty()) return new Unfetched(tokens, out);
            Map<Long, JobRow> jobs =
                    JobTable.rows(c, toHand.stream().map(AttemptRow::jobId).toList());
            Map<Long, CheckpointRow> checkpoints = CheckpointTable.byJobs(c, jobs.keySet());
            for (AttemptRow a : toHand) {
                JobRow j = jobs.get(a.jobId());
                if (j != null)
                    out.computeIfAbsent(a.machine(), m -> new ArrayList<>())
                            .add(WorkAssignments.of(
                                    j, a, checkpoints.containsKey(j.status().id())));
            }
            return new Unfetched(tokens, out);
        });
        pendingBefore.removeAll(u.tokens());
        mailboxes.withdrawAll(pendingBefore);
        handedOut.retainAll(u.tokens());
        Set<Long> pendingNow = mailboxes.pendingOrTaken();
        int n = 0;
        for (Map.Entry<String, List<WorkAssignment>> e : u.forWaiting().entrySet()) {
            List<WorkAssignment> fresh = e.getValue().stream()
                    .filter(w -> !pendingNow.contains(w.fencingToken()))
                    .toList();
            for (WorkAssignment w : e.getValue()) handedOut.add(w.fencingToken());
            mailboxes.deliver(e.getKey(), fresh);
            n += fresh.size();
        }
        return n;
    }
}
