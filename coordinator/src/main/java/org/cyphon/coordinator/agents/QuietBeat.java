package org.cyphon.coordinator.agents;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.coordinator.store.StoredJson;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.AttemptRef;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.Heartbeat;

/**
 * Whether a heartbeat can be answered from what the store already holds, without a write: the
 * desk says what its row says, was heard from lately, changes no job's state, and every lease it
 * holds has most of its length still to run. Most beats of a busy pool are such (a desk beats
 * every couple of seconds while its jobs come and go; leases run for minutes), and a beat that
 * writes waits for the store's single writer, behind whatever the pool is dispatching: a commit
 * or two, tens of milliseconds on H2 with a million jobs (bench/run scale). A beat answered here
 * reads; the reply names the leases' expiry as stored, which is the truth (nothing renewed them),
 * and any beat that must write — a renewal that is due, a resource or label that changed, a
 * suspend or resume, CPU time since a checkpoint, a credential to hand out, a desk that woke, its
 * first beat — takes the writing path, as every beat did before.
 *
 * <p>Two things such a beat says are written after the reply, without waiting for the commit,
 * because losing them costs nothing: that the desk holds an attempt it was handed (unacknowledged
 * work is only offered to it again, and an agent skips work it holds), and when the desk was last
 * heard from, when that is a quarter of a lease old.
 */
final class QuietBeat {
    private QuietBeat() {}

    /**
     * A lease is renewed once a quarter of it has run: a beat answered here leaves each lease with
     * at least three quarters of its length, so a desk that beats at a third of the lease (the
     * agent's relaxed cadence) renews at every other beat, long before any lease runs out.
     */
    static final int RENEW_AFTER_QUARTERS = 1;

    /** What the desk says about itself in the beat, as the machines row stores it. */
    record Said(int cpuMillis, Map<String, String> agentLabels, String gpusJson, String wallsJson) {}

    /**
     * The answer without a write: whom to stop, the leases' expiry as stored, and the row read;
     * with what is worth writing later, unwaited (see {@link #check}).
     *
     * @param acknowledge listed attempts the store does not yet know their agent holds
     * @param seen        whether the machine's "last heard from" is old enough to write again
     */
    record Answer(
            List<AttemptRef> stop, long leaseExpiresAt, MachineRow machine, List<Long> acknowledge, boolean seen) {

        boolean writeLater() {
            return seen || !acknowledge.isEmpty();
        }
    }

    /** @return the answer, or null when the beat must write */
    static Answer check(
            Connection c,
            String machine,
            Heartbeat hb,
            Said said,
            List<AttemptStatus> listed,
            List<Long> unfetched,
            Instant now,
            long leaseMillis)
            throws SQLException {
        MachineRow m = MachineTable.byName(c, machine);
        if (m == null || m.rotateCredential() || m.asleep() || m.lastHeartbeat() == null || !sameRow(m, hb, said))
            return null;
        long nowMillis = now.toEpochMilli();
        if (hb.desk() != null && !hb.desk().ownerVisible().isEmpty()) return null;
        List<Long> tokens = new ArrayList<>(listed.size() + unfetched.size());
        listed.forEach(s -> tokens.add(s.fencingToken()));
        tokens.addAll(unfetched);
        Map<Long, AttemptRow> attempts = AttemptTable.byTokens(c, tokens);
        Map<Long, JobStatus> jobs = JobTable.statuses(
                c, attempts.values().stream().map(AttemptRow::jobId).distinct().toList());
        long renewBefore = nowMillis + leaseMillis - leaseMillis * RENEW_AFTER_QUARTERS / 4;
        long expiry = nowMillis + leaseMillis;
        List<AttemptRef> stop = new ArrayList<>();
        List<Long> acknowledge = new ArrayList<>();
        for (AttemptStatus s : listed) {
            AttemptRow a = attempts.get(s.fencingToken());
            JobStatus j = a == null ? null : jobs.get(a.jobId());
            String why = stopReason(s, a, j, machine, now);
            if (why != null) {
                stop.add(new AttemptRef(s.jobId(), s.attempt(), s.fencingToken(), why));
                continue;
            }
            if (a.leaseExpiresAt() < renewBefore || changesState(s, j)) return null;
            // The CPU time it computed since its last checkpoint is what the job loses if the desk
            // goes silent now: it is written before the reply, as with every beat that writes.
            Double cpu = s.cpuSecondsSinceCheckpoint();
            if (cpu != null && !cpu.equals(a.cpuSinceCheckpoint())) return null;
            if (!a.acknowledged()) acknowledge.add(a.fencingToken());
            expiry = Math.min(expiry, a.leaseExpiresAt());
        }
        for (long token : unfetched) {
            AttemptRow a = attempts.get(token);
            if (a == null
                    || !a.machine().equals(machine)
                    || !a.live()
                    || a.lease().expiredAt(now)) continue;
            if (a.leaseExpiresAt() < renewBefore) return null;
            expiry = Math.min(expiry, a.leaseExpiresAt());
        }
        // "Last heard from" is what other coordinators go by (and `cyphon machines`): kept within a
        // quarter of the lease of the truth, well inside the lease that decides a desk is offline.
        boolean seen = m.lastHeartbeat() < nowMillis - leaseMillis / 4;
        return new Answer(stop, expiry, m, acknowledge, seen);
    }

    /** Why the desk must stop an attempt it lists, or null when it is the job's live attempt there. */
    static String stopReason(AttemptStatus s, AttemptRow a, JobStatus j, String machine, Instant now) {
        if (a == null || !a.machine().equals(machine) || a.jobId() != s.jobId()) return "unknown attempt";
        if (!a.live()) return "stale attempt";
        if (a.lease().expiredAt(now)) return "lease expired";
        if (j == null || !Objects.equals(j.currentToken(), a.fencingToken())) return "stale attempt";
        if (j.state() == JobState.CANCELLED) return "cancelled";
        if (j.state() == JobState.HELD) return "held";
        if (!j.state().hasLiveAttempt()) return "job is " + j.state().wireName();
        return null;
    }

    /** The desk froze or thawed the job since the store last heard. */
    private static boolean changesState(AttemptStatus s, JobStatus j) {
        return (s.state() == AttemptRunState.SUSPENDED && j.state() == JobState.RUNNING)
                || (s.state() == AttemptRunState.RUNNING && j.state() == JobState.SUSPENDED);
    }

    /** Each field the beat states equals the row's; a field an older agent leaves out keeps the stored one. */
    private static boolean sameRow(MachineRow m, Heartbeat hb, Said said) {
        return m.cpuMillis() == said.cpuMillis()
                && m.memoryBytes() == hb.memoryBytes()
                && Objects.equals(m.sandbox(), hb.sandbox())
                && Objects.equals(m.sandboxNote(), hb.sandboxNote())
                && (hb.criu() == null || hb.criu().equals(m.criu()))
                && (said.agentLabels() == null || said.agentLabels().equals(m.agentLabels()))
                && (hb.gpus() == null || Objects.equals(said.gpusJson(), StoredJson.gpus(m.gpus())))
                && (hb.maxJobs() == null || hb.maxJobs().equals(m.maxJobs()))
                && (hb.diskFreeBytes() == null || sameDiskFree(hb.diskFreeBytes(), m.diskFreeBytes()))
                && (said.wallsJson() == null || said.wallsJson().equals(m.wallsJson()));
    }

    /**
     * Free disk moves by a few bytes at every beat of a desk in use; placement only cares about
     * it in jobs' disk requests (megabytes and up), so a change under 1% (at least 64 MiB) is no
     * news.
     */
    private static boolean sameDiskFree(long said, Long stored) {
        if (stored == null) return false;
        long slack = Math.max(64L << 20, Math.abs(stored) / 100);
        return Math.abs(said - stored) < slack;
    }
}
