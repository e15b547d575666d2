package org.cyphon.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.cyphon.agent.checkpoint.AttemptCheckpoints;
import org.cyphon.agent.checkpoint.CheckpointTransfer;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.gpu.DeskGpus;
import org.cyphon.agent.gpu.Gpu;
import org.cyphon.agent.gpu.GpuEnvironment;
import org.cyphon.agent.sandbox.JobAccounts;
import org.cyphon.agent.sandbox.JobExit;
import org.cyphon.agent.sandbox.JobUser;
import org.cyphon.agent.sandbox.LaunchSpec;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.agent.sandbox.Sandbox;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.WorkAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each assigned attempt's job from start to report: registers it at once (so the next
 * heartbeat lists it and keeps its lease), checks the shared storage it needs is here (else hands
 * it back), restores its checkpoint, puts its input files in place, starts it in the
 * {@link Sandbox} with its environment, and when its tree is gone ships the rest of its output,
 * stores its last checkpoint, sends its output files and only then queues its report (in that
 * order, see docs/api.md).
 */
final class Launcher {
    private static final Logger log = LoggerFactory.getLogger(Launcher.class);

    private final AgentConfig config;
    private final Sandbox sandbox;
    private final HeldAttempts attempts;
    private final CheckpointTransfer transfer;
    private final JobCheckpoints checkpoints;
    private final OutputShipper shipper;
    private final OwnerFirst ownerFirst;
    private final Runnable beatSoon;
    private final Executor background;
    private final Clock clock;
    /** The machine's name in the pool, as the coordinator enrolled it. */
    private final Supplier<String> machine;
    /** Each job's own Unix account when the agent is root and no fixed job_user is set; else null. */
    private final JobAccounts accounts;
    /** Inputs, outputs and shared paths; null: the agent does not move files (tests without a link). */
    private final AttemptFiles files;
    /** The desk's GPUs: a GPU job gets its own, and every job is walled off from the others. */
    private final DeskGpus gpus;

    Launcher(
            AgentConfig config,
            Supplier<String> machine,
            Sandbox sandbox,
            HeldAttempts attempts,
            CheckpointTransfer transfer,
            JobCheckpoints checkpoints,
            OutputShipper shipper,
            OwnerFirst ownerFirst,
            Runnable beatSoon,
            Executor background,
            Clock clock,
            AttemptFiles files,
            JobAccounts accounts,
            DeskGpus gpus) {
        this.files = files;
        this.gpus = gpus;
        this.config = config;
        this.machine = machine;
        this.sandbox = sandbox;
        this.attempts = attempts;
        this.transfer = transfer;
        this.checkpoints = checkpoints;
        this.shipper = shipper;
        this.ownerFirst = ownerFirst;
        this.beatSoon = beatSoon;
        this.background = background;
        this.clock = clock;
        this.accounts = accounts;
    }

    /**
     * Each job's own Unix account when the agent is root and no fixed {@code job_user} is set
     * ({@code sandbox.run_as}); else null (jobs run as the fixed job user, or as the agent's user).
     */
    static JobAccounts accountsFor(AgentConfig config) {
        var s = config.sandbox();
        return config.jobUser() == null && "root".equals(System.getProperty("user.name"))
                ? JobAccounts.of(s.runAs(), s.slotPrefix(), s.maxJobs(), SLOT_LOCKS)
                : null;
    }

    /** Where every agent on the machine locks the slot accounts it uses (see {@link JobAccounts}). */
    private static final Path SLOT_LOCKS = Path.of("/run/cyphon/slots");

    /** Registers the attempt at once, so the next heartbeat already lists it and keeps its lease. */
    LocalAttempt admit(WorkAssignment w) {
        String id = "j" + w.jobId() + "-a" + w.attempt();
        Path workDir = config.stateDir().resolve("work").resolve(id);
        Path out = config.stateDir().resolve("output").resolve(id + ".stdout");
        Path err = config.stateDir().resolve("output").resolve(id + ".stderr");
        LocalAttempt a = new LocalAttempt(
                w, workDir, out, err, new AttemptCheckpoints(w, workDir, transfer, config.checkpoint()));
        attempts.add(a);
        return a;
    }

    /** Starts the attempt's job; a job that cannot start is reported "failed_to_start". */
    void launch(LocalAttempt a) {
        WorkAssignment w = a.work;
        JobAccounts.Account account = null;
        try {
            String missing = files == null ? null : files.missingPath(a);
            if (missing != null) {
                // Not this desk's to run now: back to the queue, no attempt used; the next heartbeat
                // no longer lists the path, so it is not placed here again until it is back.
                log.warn("job {} attempt {} on {}: handed back: {}", w.jobId(), w.attempt(), machine.get(), missing);
                a.handedBack(missing);
                beatSoon.run();
                return;
            }
            Files.createDirectories(a.workDir);
            Map<String, String> env = environment(w, a.workDir);
            List<Gpu> mine = gpus.assign(a.id(), w.jobId(), w.gpuCount());
            env.putAll(GpuEnvironment.of(mine));
            account = accounts == null ? null : accounts.take(w.owner());
            String user = account != null ? account.user() : config.jobUser();
            // The job's checkpoint is restored (and later packed) by the job's own account.
            env.putAll(checkpoints.restore(a, jobUser(user)));
            if (files != null) files.place(a);
            RunningJob job = sandbox.start(new LaunchSpec(
                    a.id(),
                    w.command(),
                    env,
                    a.workDir,
                    a.stdout,
                    a.stderr,
                    (int) Math.round(w.cpus() * 1000),
                    w.memoryBytes(),
                    user,
                    w.diskBytes() == null ? LaunchSpec.DEFAULT_DISK_BYTES : w.diskBytes(),
                    w.network(),
                    files == null ? java.util.List.of() : files.visiblePaths(a),
                    gpus.hiddenFrom(mine)));
            String stopNow = a.started(job, clock.instant()); // non-null: cancelled while it was starting
            log.info(
                    "job {} attempt {} on {}: started pid {} ({})",
                    w.jobId(),
                    w.attempt(),
                    machine.get(),
                    job.pid(),
                    String.join(" ", w.command()));
            JobAccounts.Account held = account;
            account = null; // from here the job's end gives it back
            // The account is given back only once the output is shipped: a slot handed to another
            // submitter is cleaned, and that would take this job's files still owned by it.
            var unused = job.exit()
                    .whenComplete((exit, failure) -> background.execute(() -> {
                        try {
                            finish(a, exit, failure);
                        } finally {
                            if (held != null) held.close();
                        }
                    }));
            if (stopNow != null) job.kill();
            ownerFirst.attemptsChanged(); // decide for it at once: the owner may be typing right now
            if (a.checkpoints.every() != null) background.execute(() -> checkpoints.askPeriodically(a, job));
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "job {} attempt {} on {}: failed to start: {}",
                    w.jobId(),
                    w.attempt(),
                    machine.get(),
                    e.getMessage());
            if (account != null) account.close();
            gpus.release(a.id());
            a.failedToStart(e.getMessage());
            beatSoon.run();
        }
    }

    /** The account a job runs as, or null when that is the agent's own user. */
    private static JobUser jobUser(String name) throws IOException {
        if (name == null) return null;
        JobUser u = JobUser.lookup(name);
        return u.uid() == JobUser.currentUid() ? null : u;
    }

    private Map<String, String> environment(WorkAssignment w, Path workDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", workDir.toString());
        env.put("TMPDIR", workDir.toString());
        env.putAll(w.env());
        // The secret variables reach the job as ordinary ones; they are never logged (the start line
        // shows the command only) nor written anywhere by the agent.
        if (w.secretEnv() != null) env.putAll(w.secretEnv());
        env.put("CYPHON_JOB_ID", Long.toString(w.jobId()));
        env.put("CYPHON_ATTEMPT", Integer.toString(w.attempt()));
        env.put("CYPHON_INDEX", Integer.toString(w.index()));
        env.put("CYPHON_CPUS", formatCpus(w.cpus()));
        env.put("CYPHON_MACHINE", machine.get());
        return env;
    }

    static String formatCpus(double cpus) {
        return cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Double.toString(cpus);
    }

    /** The tree is gone: ship the rest of its output, store its last checkpoint, then queue its report. */
    private void finish(LocalAttempt a, JobExit exit, Throwable failure) {
        JobExit e = exit != null ? exit : new JobExit(null, null, 0, "sandbox error: " + failure);
        try {
            shipper.shipRest(a);
        } catch (InterruptedException stopping) {
            // The agent stops: what is not shipped yet stays in the file; the report still goes.
        }
        if (a.keepsCheckpoint(e)) checkpoints.storeLast(a, e.cpuSeconds());
        // Its tree is gone, so nothing of it holds the devices: free before the report, after which
        // the coordinator may hand the GPU to the next job at once.
        gpus.release(a.id());
        // Its outputs, whatever its exit code (as HTCondor), unless the coordinator stopped it: the
        // attempt's token is stale then and they would be refused. Before the report, while the
        // attempt is still the job's current one.
        if (files != null && !(a.phase() instanceof LocalAttempt.Stopping)) files.ship(a, "exit");
        AttemptReport r;
        synchronized (a) {
            r = a.toReport(e);
            a.end(r);
        }
        attempts.jobEnded(e.cpuSeconds());
        ownerFirst.attemptsChanged();
        log.info(
                "job {} attempt {} on {}: {} (exit {}, {} CPU-s)",
                r.jobId(),
                r.attempt(),
                machine.get(),
                r.outcome(),
                r.exitCode(),
                String.format("%.2f", r.cpuSeconds()));
        beatSoon.run();
    }
}
