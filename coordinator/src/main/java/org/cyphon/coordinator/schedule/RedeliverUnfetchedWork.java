package org.cyphon.coordinator.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.CheckpointRow;
import org.cyphon.coordinator.store.CheckpointTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.protocol.WorkAssignment;

/**
 * At start-up, puts back in the mailboxes the live attempts no heartbeat has acknowledged: they
 * were committed but their agent may never have fetched them before we stopped. An agent that did
 * fetch one already holds that fencing token and ignores the repeat.
 */
public final class RedeliverUnfetchedWork {
    private RedeliverUnfetchedWork() {}

    /** @return how many assignments were put back */
    public static int run(Database db, WorkMailboxes mailboxes) {
        Map<String, List<WorkAssignment>> byMachine = db.transactions().read(c -> {
            List<AttemptRow> unacked =
                    AttemptTable.live(c).stream().filter(a -> !a.acknowledged()).toList();
            Map<Long, JobRow> jobs =
                    JobTable.rows(c, unacked.stream().map(AttemptRow::jobId).toList());
            Map<Long, CheckpointRow> checkpoints = CheckpointTable.byJobs(c, jobs.keySet());
            Map<String, List<WorkAssignment>> out = new HashMap<>();
            for (AttemptRow a : unacked) {
                JobRow j = jobs.get(a.jobId());
                if (j != null)
                    out.computeIfAbsent(a.machine(), m -> new ArrayList<>())
                            .add(WorkAssignments.of(
                                    j, a, checkpoints.containsKey(j.status().id())));
            }
            return out;
        });
        byMachine.forEach(mailboxes::deliver);
        return byMachine.values().stream().mapToInt(List::size).sum();
    }
}
