package org.cyphon.agent.sensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.cyphon.core.owner.LoadSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much of the machine its owner uses: all busy CPU ({@code /proc/stat} deltas) minus the CPU
 * time Cyphon's jobs used over the same interval, in CPUs (HTCondor's NonCondorLoadAvg, measured
 * instead of averaged), with the kernel's pressure stall figures beside it. Reported as
 * {@link LoadSeen} with source {@code proc} every {@code sampleEvery}; the first report comes one
 * interval after start, when there is a first interval to measure.
 *
 * <p>The jobs' CPU time comes from the caller (the agent reads the parent job cgroup's usage), so
 * jobs that escaped to a child cgroup or a job frozen mid-interval are counted the way the cgroup
 * counts them. Owner CPU is clamped to 0..cores: the two counters are read a moment apart.
 */
public final class OwnerLoadSensor implements Sensor {

    private static final Logger log = LoggerFactory.getLogger(OwnerLoadSensor.class);

    private final Path procDir;
    private final Duration sampleEvery;
    private final DoubleSupplier jobCpuSeconds;
    private final Clock clock;
    private CpuTimes lastCpu;
    private double lastJobSeconds;
    private SamplingLoop loop;
    private volatile String status = "not started";

    /**
     * @param procDir       {@code /proc}
     * @param jobCpuSeconds total CPU seconds used so far by all of Cyphon's jobs (a counter that only
     *                      grows while the same jobs run); NaN when it cannot be read
     */
    public OwnerLoadSensor(Path procDir, Duration sampleEvery, DoubleSupplier jobCpuSeconds, Clock clock) {
        this.procDir = procDir;
        this.sampleEvery = sampleEvery;
        this.jobCpuSeconds = jobCpuSeconds;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "load";
    }

    @Override
    public synchronized boolean start(Consumer<OwnerSignal> sink) {
        if (loop != null) return true;
        if (!Files.isReadable(procDir.resolve("stat"))) {
            status = "no " + procDir.resolve("stat");
            log.info("sensor load unavailable: {}", status);
            return false;
        }
        status = Files.exists(procDir.resolve("pressure")) ? "ok"
                : "ok, but this kernel has no pressure stall information (" + procDir.resolve("pressure") + ")";
        loop = SamplingLoop.start(name(), sampleEvery, () -> {
            LoadSeen seen = sample(clock.instant());
            return seen == null ? List.of() : List.of(seen);
        }, sink);
        log.info("sensor load started: owner CPU and pressure every {}", sampleEvery);
        return true;
    }

    @Override
    public String status() {
        return status;
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

        Path psi = procDir.resolve("pressure");
        return new LoadSeen("proc", now, ownerCpus, cpu.cores(), PressureStall.some10s(psi.resolve("cpu")),
                PressureStall.some10s(psi.resolve("memory")), PressureStall.some10s(psi.resolve("io")));
    }

    @Override
    public void close() {
        SamplingLoop running;
        synchronized (this) {
            running = loop;
            loop = null;
        }
        if (running == null) return;
        running.close();
        status = "stopped";
        log.info("sensor load stopped");
    }
}
