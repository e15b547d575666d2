package org.cyphon.coordinator.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.coordinator.lifecycle.NextJobStatus;
import org.cyphon.coordinator.lifecycle.Step;
import org.cyphon.coordinator.store.DependencyTable;
import org.cyphon.coordinator.store.DependencyTable.Dependency;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.job.JobDependencies;
import org.cyphon.core.job.JobState;

/**
 * Jobs that run after others ({@code --after}): what their dependencies' states say (core's
 * {@link JobDependencies}), read inside a write so a dependency cannot end unseen in between (the
 * store has one writer).
 *
 * <p>Every writer that can end a job calls {@link #afterChanges} after writing its changes: a job
 * that ended lets the jobs waiting on it join the queue, or holds them. Waiting jobs are in the
 * store only, never in the scheduler's queue, so they cost a scheduling pass nothing; what they
 * cost is one indexed lookup per batch of jobs that end.
 */
public final class DependentJobs {
    private DependentJobs() {}

    /** Reads the edges and the states of the jobs they point to, and judges each job. */
    public static Map<Long, JobDependencies.Verdict> judge(Connection c, Collection<Long> jobIds) throws SQLException {
        List<Dependency> deps = DependencyTable.of(c, jobIds);
        if (deps.isEmpty()) return Map.of();
        Map<Long, List<JobDependencies.Edge>> edges = new HashMap<>();
        Set<Long> afterIds = new LinkedHashSet<>();
        for (Dependency d : deps) {
            edges.computeIfAbsent(d.jobId(), k -> new ArrayList<>())
                    .add(new JobDependencies.Edge(d.afterId(), d.anyEnd()));
            afterIds.add(d.afterId());
        }
        Map<Long, JobDependencies.Ending> ends = endings(c, afterIds);
        Map<Long, JobDependencies.Verdict> out = new HashMap<>();
        edges.forEach((id, e) -> out.put(id, JobDependencies.judge(e, ends)));
        return out;
    }

    /** The states of these jobs, as dependencies see them; absent ids do not exist. */
    public static Map<Long, JobDependencies.Ending> endings(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, JobDependencies.Ending> out = new HashMap<>();
        for (JobStatus s : JobTable.statuses(c, ids).values())
            out.put(s.id(), new JobDependencies.Ending(s.state(), s.exitCode()));
        return out;
    }

    /**
     * After {@code changed} has been written: the waiting jobs that depend on the ones among them
     * that ended now join the queue (all their dependencies met) or are held (one was not).
     */
    public static void afterChanges(Connection c, Collection<JobStatus> changed, long now, AfterCommit after)
            throws SQLException {
        List<Long> ended = new ArrayList<>();
        for (JobStatus s : changed) if (s.state().isTerminal()) ended.add(s.id());
        if (ended.isEmpty()) return;
        Set<Long> dependents = new LinkedHashSet<>();
        for (Dependency d : DependencyTable.onto(c, ended)) dependents.add(d.jobId());
        if (dependents.isEmpty()) return;
        Map<Long, JobStatus> waiting = new HashMap<>();
        for (JobStatus s : JobTable.statuses(c, dependents).values())
            if (s.state() == JobState.WAITING) waiting.put(s.id(), s);
        if (waiting.isEmpty()) return;
        List<JobStatus> writes = new ArrayList<>();
        List<EventRow> events = new ArrayList<>();
        for (var v : judge(c, waiting.keySet()).entrySet()) {
            JobStatus j = waiting.get(v.getKey());
            Step step = switch (v.getValue().outcome()) {
                case WAIT -> null;
                case READY -> NextJobStatus.dependenciesMet(j, now);
                case BROKEN -> NextJobStatus.dependencyFailed(j, v.getValue().reason(), now);
            };
            if (step == null) continue;
            writes.add(step.status());
            events.addAll(step.events());
            after.step(step);
        }
        JobTable.updateAll(c, writes);
        EventTable.insert(c, events);
    }
}
