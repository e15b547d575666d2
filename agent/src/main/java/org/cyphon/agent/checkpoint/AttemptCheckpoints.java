package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.agent.sandbox.JobUser;
import org.cyphon.core.protocol.WorkAssignment;

/**
 * One attempt's checkpoints, from restore to its last upload, and the ledger behind
 * {@code cpuSecondsSinceCheckpoint}: which state of the directory the coordinator holds, and how
 * much CPU the job had used when that state was packed.
 *
 * <p>The coordinator's checkpoint always matches some state of this attempt's directory: the one
 * restored at start (CPU 0 of this attempt), or the last one stored. A directory that still looks
 * like that state (same {@link DirFingerprint}) is not uploaded again, and the CPU used since is
 * what a vacate would throw away. An empty directory is never uploaded (it would replace a real
 * checkpoint with nothing).
 *
 * <p>Thread-safe: the agent's launch, beat and checkpoint threads may share it.
 */
public final class AttemptCheckpoints {
    private final WorkAssignment work;
    private final Path dir;
    private final CheckpointTransfer transfer;
    private final CheckpointSettings settings;
    private final CheckpointRequest request;
    private DirFingerprint stored = new DirFingerprint(List.of());
    private double cpuAtCheckpoint;
    private boolean restored;
    /** The job's own account, which packs and restores its checkpoints; null: the agent's user. */
    private JobUser account;

    /** An archive packed and not yet stored, with the directory state and CPU time it stands for. */
    public record Packed(Path archive, DirFingerprint state, double cpuAtPack) {}

    public AttemptCheckpoints(
            WorkAssignment work, Path workDir, CheckpointTransfer transfer, CheckpointSettings settings) {
        this.work = work;
        this.dir = CheckpointDir.in(workDir);
        this.transfer = transfer;
        this.settings = settings;
        this.request = new CheckpointRequest(settings.grace(), settings.settle());
    }

    public Path dir() {
        return dir;
    }

    /** {@link #prepare(JobUser)} for a job that runs as the agent's own user. */
    public Map<String, String> prepare()
            throws IOException, CoordinatorUnreachableException, CoordinatorRefusedException {
        return prepare(null);
    }

    /**
     * Before the job starts: creates the checkpoint directory and, if the coordinator holds a
     * checkpoint of the job, restores it there. With an account of the job's own, the working
     * directory is given to it first and the account's own process writes the files; from then on
     * it also packs them.
     *
     * <p>Not under this object's lock: every heartbeat asks {@link #cpuSecondsSinceCheckpoint},
     * and a download or a job-side process may take longer than a lease.
     *
     * @param as the job's account; null: the agent's own user
     * @return the variables to add to the job's environment ({@code CYPHON_CHECKPOINT_DIR})
     * @throws UnsafeArchiveException when the stored archive is unsafe to unpack (treat as a failure to start)
     */
    public Map<String, String> prepare(JobUser as)
            throws IOException, CoordinatorUnreachableException, CoordinatorRefusedException {
        synchronized (this) {
            account = as;
        }
        if (!Files.isDirectory(dir)) CheckpointDir.create(dir.getParent());
        if (as != null) as.handOver(dir.getParent());
        boolean got = work.hasCheckpoint() && !restored() && transfer.restore(work.fencingToken(), dir, as);
        DirFingerprint state = DirFingerprint.of(dir);
        synchronized (this) {
            if (got) restored = true;
            stored = state;
            cpuAtCheckpoint = 0;
        }
        return Map.of(CheckpointDir.ENV, dir.toString());
    }

    /** Whether {@link #prepare} found and restored a checkpoint. */
    public synchronized boolean restored() {
        return restored;
    }

    /** How often to ask for a checkpoint while the job runs, or null when it asked for none. */
    public Duration every() {
        return work.checkpointEverySeconds() == null ? null : Duration.ofSeconds(work.checkpointEverySeconds());
    }

    /** Whether the job's exit code says "checkpointed, requeue me". */
    public boolean isCheckpointExit(Integer exitCode) {
        return exitCode != null && exitCode.equals(work.checkpointExitCode());
    }

    /** Before a vacate: sends {@code checkpoint.signal} and waits as {@link CheckpointRequest} says. */
    public CheckpointRequest.Outcome askBeforeVacate(long pid, CompletionStage<?> exit)
            throws IOException, InterruptedException {
        return request.ask(settings.signal(), pid, exit, dir);
    }

    /**
     * {@link #askBeforeVacate(long, CompletionStage)}, waiting at most {@code atMost} when that is
     * shorter than the grace (the desk is going down); null: the grace.
     */
    public CheckpointRequest.Outcome askBeforeVacate(long pid, CompletionStage<?> exit, Duration atMost)
            throws IOException, InterruptedException {
        if (atMost == null || atMost.compareTo(settings.grace()) >= 0) return askBeforeVacate(pid, exit);
        return new CheckpointRequest(atMost, settings.settle()).ask(settings.signal(), pid, exit, dir);
    }

    /** Every {@link #every()}: sends {@code checkpoint.periodic_signal} and waits as {@link CheckpointRequest} says. */
    public CheckpointRequest.Outcome askPeriodic(long pid, CompletionStage<?> exit)
            throws IOException, InterruptedException {
        return request.ask(settings.periodicSignal(), pid, exit, dir);
    }

    /**
     * Packs the directory if it holds files and differs from what the coordinator has. The job must
     * not be writing meanwhile: call it with the job frozen, or gone. The pack runs outside this
     * object's lock (heartbeats must not wait for a job-side process, see {@link #prepare(JobUser)}).
     *
     * @param cpuNow the job's CPU-seconds now ({@code RunningJob.cpuSecondsSoFar()})
     * @return the archive to {@link #store}, or null when there is nothing new
     */
    public Packed packIfChanged(double cpuNow) throws IOException {
        DirFingerprint now = DirFingerprint.of(dir);
        JobUser as;
        synchronized (this) {
            if (!now.hasFiles() || now.equals(stored)) return null;
            as = account;
        }
        return new Packed(transfer.pack(work.fencingToken(), dir, as), now, cpuNow);
    }

    /**
     * Uploads a packed checkpoint; from then on it is the state lost CPU is counted from. The
     * archive is deleted once stored or refused; after {@link CoordinatorUnreachableException} it is
     * kept, so the caller may call again (or {@link #discard} it).
     *
     * @throws CoordinatorRefusedException 409: the attempt is stale; 413: over the coordinator's cap
     */
    public void store(Packed p) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        try {
            transfer.upload(work.fencingToken(), p.archive());
        } catch (CoordinatorRefusedException e) {
            discard(p);
            throw e;
        }
        synchronized (this) {
            // Uploads may finish out of order only if the caller overlaps them; keep the newest state.
            if (p.cpuAtPack() >= cpuAtCheckpoint) {
                stored = p.state();
                cpuAtCheckpoint = p.cpuAtPack();
            }
        }
        discard(p);
    }

    /** {@link #packIfChanged} then {@link #store}, for a job that is gone. @return whether a checkpoint was stored */
    public boolean storeIfChanged(double cpuNow)
            throws IOException, CoordinatorUnreachableException, CoordinatorRefusedException {
        Packed p = packIfChanged(cpuNow);
        if (p == null) return false;
        store(p);
        return true;
    }

    /** Deletes a packed archive that will not be stored. */
    public void discard(Packed p) {
        try {
            Files.deleteIfExists(p.archive());
        } catch (IOException ignored) {
            // In the agent's scratch directory: harmless, and overwritten by name never.
        }
    }

    /** CPU the job used after the state the coordinator's checkpoint holds: what ending it now would lose. */
    public synchronized double cpuSecondsSinceCheckpoint(double cpuNow) {
        return Math.max(0, cpuNow - cpuAtCheckpoint);
    }
}
