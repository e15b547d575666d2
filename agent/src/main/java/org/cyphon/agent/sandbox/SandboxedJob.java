package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.text.Sizes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started job: its main process plus the {@link Containment} that holds its tree.
 *
 * <p>One virtual thread per job waits for the main process (sampling the containment meanwhile
 * when it needs that: nice-only mode follows the tree; a cgroup does not, so its watcher only
 * sleeps), then kills whatever the job left behind, reads
 * the final CPU time and OOM count, removes the cgroup and completes {@link #exit()}. Control calls
 * and that clean-up are serialised on one lock, so a kill racing the natural end of a job is safe.
 */
final class SandboxedJob implements RunningJob {
    private static final Logger log = LoggerFactory.getLogger(SandboxedJob.class);
    private static final long SAMPLE_MS = 250;
    /** How often the work directory's size is measured against the job's disk limit. */
    private static final long DISK_CHECK_MS = 2000;

    private final LaunchSpec spec;
    private final Process process;
    private final long jobPid;
    private final Containment containment;
    private final DiskUse disk;
    private volatile String stoppedBecause;
    private volatile long diskUsed;
    private final CompletableFuture<JobExit> exit = new CompletableFuture<>();
    private final Object lock = new Object();
    private boolean gone;
    private boolean frozen;
    private volatile boolean killRequested;
    private volatile double finalCpuSeconds = -1;

    private SandboxedJob(LaunchSpec spec, Process process, long jobPid, Containment containment) {
        this.spec = spec;
        this.process = process;
        this.jobPid = jobPid;
        this.containment = containment;
        this.disk = new DiskUse(spec.workDir());
    }

    /** Starts watching a job whose wrapper has reported ready; {@code jobPid} is the job's own process. */
    static SandboxedJob watch(LaunchSpec spec, Process process, long jobPid, Containment containment) {
        SandboxedJob job = new SandboxedJob(spec, process, jobPid, containment);
        Thread.ofVirtual().name("sandbox-" + spec.id()).start(job::awaitEnd);
        return job;
    }

    @Override
    public long pid() {
        return jobPid;
    }

    @Override
    public CompletableFuture<JobExit> exit() {
        return exit.copy();
    }

    @Override
    public void freeze() {
        synchronized (lock) {
            if (gone || frozen) return;
            try {
                containment.freeze();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot freeze job " + spec.id() + ": " + e.getMessage(), e);
            }
            frozen = true;
            log.info("job {} frozen", spec.id());
        }
    }

    @Override
    public void linger(LingerLimits limits) {
        synchronized (lock) {
            if (gone) return;
            try {
                containment.linger(limits);
                String note = containment.lingerNote();
                if (limits == null) log.info("job {}: linger limits lifted", spec.id());
                else
                    log.info(
                            "job {}: lingering with memory reclaimed above {} bytes, I/O {}{}",
                            spec.id(),
                            limits.memoryBytes(),
                            limits.ioBytesPerSecond() == 0
                                    ? "not throttled"
                                    : "throttled to " + limits.ioBytesPerSecond() + " B/s",
                            note.isEmpty() ? "" : " (" + note + ")");
            } catch (IOException e) {
                log.warn("job {}: linger limits not applied: {}", spec.id(), e.getMessage());
            }
        }
    }

    @Override
    public void thaw() {
        synchronized (lock) {
            if (gone || !frozen) return;
            try {
                containment.thaw();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot thaw job " + spec.id() + ": " + e.getMessage(), e);
            }
            frozen = false;
            log.info("job {} thawed", spec.id());
        }
    }

    @Override
    public void kill() {
        synchronized (lock) {
            if (gone || killRequested) return;
            killRequested = true;
            try {
                int n = containment.killAll();
                log.info("job {} killed on request: {} processes", spec.id(), n);
            } catch (IOException | RuntimeException e) {
                // Never leave a job running because its containment failed: kill what Java can see.
                log.error(
                        "job {}: kill through {} failed ({}); killing its visible descendants",
                        spec.id(),
                        containment.describe(),
                        e.getMessage());
                process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            frozen = false;
        }
    }

    @Override
    public long diskBytesUsed() {
        return diskUsed;
    }

    @Override
    public double cpuSecondsSoFar() {
        double last = finalCpuSeconds;
        return last >= 0 ? last : containment.cpuSeconds();
    }

    /**
     * Stops the job once its working directory holds more than its disk limit. Measured rather than
     * enforced by the kernel (no per-directory quota on an ordinary desk's file system), so a job
     * may overshoot by what it writes in {@link #DISK_CHECK_MS}; RLIMIT_FSIZE bounds any one file.
     */
    private void checkDisk() {
        long used = disk.bytes();
        diskUsed = used;
        if (used <= spec.diskBytes() || killRequested) return;
        stoppedBecause = "stopped: its work directory holds " + Sizes.format(used) + ", over its disk limit "
                + Sizes.format(spec.diskBytes());
        log.warn("job {}: {}", spec.id(), stoppedBecause);
        kill();
    }

    private void awaitEnd() {
        try {
            long nextDiskCheck = System.currentTimeMillis() + DISK_CHECK_MS;
            if (containment.needsSampling()) {
                while (!process.waitFor(SAMPLE_MS, TimeUnit.MILLISECONDS)) {
                    containment.sample();
                    if (System.currentTimeMillis() >= nextDiskCheck) {
                        checkDisk();
                        nextDiskCheck = System.currentTimeMillis() + DISK_CHECK_MS;
                    }
                }
            } else {
                // onExit(), not waitFor(): a virtual thread parks on a future without pinning its carrier on
                // any JDK (waitFor() is Object.wait, which pins on Java 21). It wakes only to measure the disk.
                while (true) {
                    try {
                        var unused = process.onExit().get(DISK_CHECK_MS, TimeUnit.MILLISECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException stillRunning) {
                        checkDisk();
                    }
                }
            }
            int status = process.exitValue();
            String failure = null;
            int leftovers = 0;
            long oomKills;
            double cpu;
            synchronized (lock) {
                try {
                    leftovers = containment.killAll();
                } catch (IOException | RuntimeException e) {
                    failure = e.getMessage();
                }
                cpu = containment.cpuSeconds();
                oomKills = containment.oomKills();
                try {
                    containment.remove();
                } catch (IOException | RuntimeException e) {
                    failure = failure == null ? e.getMessage() : failure + "; " + e.getMessage();
                }
                finalCpuSeconds = cpu;
                gone = true;
            }
            if (leftovers > 0)
                log.info("job {}: killed {} processes left behind by its main process", spec.id(), leftovers);
            JobExit end = DescribeExit.of(status, killRequested, oomKills, spec.memoryBytes(), cpu, failure);
            if (stoppedBecause != null)
                end = new JobExit(end.exitCode(), end.signal(), end.cpuSeconds(), stoppedBecause);
            else if (end.signal() != null && end.signal() == DescribeExit.SIGXFSZ)
                end = new JobExit(
                        end.exitCode(),
                        end.signal(),
                        end.cpuSeconds(),
                        "stopped: a file reached its disk limit " + Sizes.format(spec.diskBytes()) + " (SIGXFSZ)");
            log.info(
                    "job {} ended: {}, cpu {}s{}",
                    spec.id(),
                    end.signal() != null ? "signal " + end.signal() : "exit code " + end.exitCode(),
                    String.format(Locale.ROOT, "%.2f", cpu),
                    end.message() != null ? " (" + end.message() + ")" : "");
            exit.complete(end);
        } catch (Throwable t) {
            log.error("job {}: watching it failed", spec.id(), t);
            exit.complete(new JobExit(
                    null, null, Math.max(0, finalCpuSeconds), "sandbox failed while watching the job: " + t));
        }
    }
}
