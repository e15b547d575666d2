package org.cyphon.agent.sensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.cyphon.core.owner.LoadSeen;
import org.cyphon.core.owner.OwnerSignal;

/**
 * How much of the machine its owner uses: all busy CPU ({@code /proc/stat} deltas) minus the CPU
 * time Cyphon's jobs used over the same interval, in CPUs (HTCondor's NonCondorLoadAvg, measured
 * instead of averaged), with the pressure stall figures of the owner's processes beside it ({@link OwnerPressure}). Reported as
 * {@link LoadSeen} with source {@code proc} every {@code sampleEvery}; the first report comes one
 * interval after start, when there is a first interval to measure. While no job runs it samples
 * {@link #IDLE_SLOWDOWN} times less often: then it only decides when work may start, which is not
 * urgent, and the idle agent's CPU is mostly these samples (bench/run agent-idle).
 *
 * <p>The jobs' CPU time comes from the caller (the agent reads the parent job cgroup's usage), so
 * jobs that escaped to a child cgroup or a job frozen mid-interval are counted the way the cgroup
 * counts them. Owner CPU is clamped to 0..cores: the two counters are read a moment apart.
 */
public final class OwnerLoadSensor extends SamplingSensor {

    static final int IDLE_SLOWDOWN = 5;

    private final Path procDir;
    private final DoubleSupplier jobCpuSeconds;
    private final BooleanSupplier jobsRunning;
    private final OwnerPressure pressure;
    private CpuTimes lastCpu;
    private double lastJobSeconds;

    /**
     * @param procDir       {@code /proc}
     * @param jobCpuSeconds total CPU seconds used so far by all of Cyphon's jobs (a counter that only
     *                      grows while the same jobs run); NaN when it cannot be read
     * @param jobsRunning   whether any job runs now (sampling is slower when none does)
     */
    public OwnerLoadSensor(
            Path procDir,
            Duration sampleEvery,
            DoubleSupplier jobCpuSeconds,
            BooleanSupplier jobsRunning,
            OwnerPressure pressure,
            Clock clock) {
        super("load", sampleEvery, clock);
        this.procDir = procDir;
        this.jobCpuSeconds = jobCpuSeconds;
        this.jobsRunning = jobsRunning;
        this.pressure = pressure;
    }

    /** With the system-wide pressure of {@code procDir/pressure}. */
    OwnerLoadSensor(
            Path procDir,
            Duration sampleEvery,
            DoubleSupplier jobCpuSeconds,
            BooleanSupplier jobsRunning,
            Clock clock) {
        this(
                procDir,
                sampleEvery,
                jobCpuSeconds,
                jobsRunning,
                OwnerPressure.systemWide(procDir, "no cgroup given"),
                clock);
    }

    @Override
    protected String unavailable() {
        return Files.isReadable(procDir.resolve("stat")) ? null : "no " + procDir.resolve("stat");
    }

    @Override
    protected void starting(Consumer<OwnerSignal> sink) {
        if (!Files.exists(procDir.resolve("pressure"))) {
            status("ok, but this kernel has no pressure stall information (" + procDir.resolve("pressure") + ")");
        } else {
            status("ok; " + pressure.scope());
        }
    }

    @Override
    protected List<LoadSeen> takeSample() {
        LoadSeen seen = sample(clock.instant());
        return seen == null ? List.of() : List.of(seen);
    }

    @Override
    protected Duration nextSampleIn() {
        return jobsRunning.getAsBoolean() ? sampleEvery : sampleEvery.multipliedBy(IDLE_SLOWDOWN);
    }

    @Override
    protected String describe() {
        return "owner CPU and " + pressure.scope() + " every " + sampleEvery + " while jobs run, every "
                + sampleEvery.multipliedBy(IDLE_SLOWDOWN) + " otherwise";
    }

    /**
     * Measures the interval since the previous call.
     *
     * @return null on the first call (nothing to compare with yet) or when no time has passed
     */
    synchronized LoadSeen sample(Instant now) {
        CpuTimes cpu;
        try {
            cpu = CpuTimes.parse(Files.readString(procDir.resolve("stat")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double jobSeconds = jobCpuSeconds.getAsDouble();
        CpuTimes before = lastCpu;
        double jobBefore = lastJobSeconds;
        lastCpu = cpu;
        lastJobSeconds = jobSeconds;
        if (before == null || cpu.allTicks() <= before.allTicks()) return null;

        double busySeconds = (cpu.busyTicks() - before.busyTicks()) / CpuTimes.TICKS_PER_SECOND;
        // Wall time of the interval as /proc/stat saw it: all ticks of all CPUs, over the CPUs.
        double wallSeconds = (cpu.allTicks() - before.allTicks()) / CpuTimes.TICKS_PER_SECOND / cpu.cores();
        // An unreadable or restarted job counter (NaN now or before, or lower than before) counts as
        // no job CPU: better to overestimate the owner than to hide them.
        double jobUsed = Double.isNaN(jobSeconds) || Double.isNaN(jobBefore) ? 0 : Math.max(0, jobSeconds - jobBefore);
        double ownerCpus = Math.clamp((busySeconds - jobUsed) / wallSeconds, 0, cpu.cores());

        return new LoadSeen(
                "proc",
                now,
                ownerCpus,
                cpu.cores(),
                pressure.some10s("cpu"),
                pressure.some10s("memory"),
                pressure.some10s("io"));
    }
}
