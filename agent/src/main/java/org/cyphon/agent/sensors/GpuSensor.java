package org.cyphon.agent.sensors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.cyphon.agent.gpu.DeskGpus;
import org.cyphon.agent.gpu.JobProcesses;
import org.cyphon.agent.gpu.NvidiaSmi;
import org.cyphon.agent.gpu.OwnerGpuUse;
import org.cyphon.core.owner.GpuSeen;

/**
 * The owner's GPU use, from {@code nvidia-smi}: the GPUs' utilisation and the processes computing
 * on them, as {@code GpuSeen("nvidia-smi", now, busiest GPU 0..1)}, so games and renders do not
 * lose frames to cluster work (the {@code gpu_busy_max} policy). Use the jobs cause themselves is
 * not the owner's: a GPU a job holds on which only that job's processes compute counts as idle
 * ({@link OwnerGpuUse}). Each sample also refreshes the desk's GPU list ({@link DeskGpus}), which
 * the heartbeat reports.
 *
 * <p>Each sample runs nvidia-smi twice, which costs process starts and driver queries (tens to
 * hundreds of milliseconds of CPU), so it samples at {@code sampleEvery} but not more often than
 * every {@link #MIN_INTERVAL}: the owner's machine must not get busier because it is watched.
 */
public final class GpuSensor extends SamplingSensor {

    static final Duration MIN_INTERVAL = Duration.ofSeconds(5);

    private final DeskGpus gpus;
    private final JobProcesses jobs;

    /** @param gpus the desk's GPUs, whose nvidia-smi it runs (none: the sensor does not start) */
    public GpuSensor(DeskGpus gpus, JobProcesses jobs, Duration sampleEvery, Clock clock) {
        super("gpu", sampleEvery.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : sampleEvery, clock);
        this.gpus = gpus;
        this.jobs = jobs;
    }

    @Override
    protected String unavailable() {
        return gpus.nvidiaSmi() == null ? "no nvidia-smi" : null;
    }

    @Override
    protected List<GpuSeen> takeSample() {
        return sample(clock.instant()).map(List::of).orElse(List.of());
    }

    @Override
    protected String describe() {
        return gpus.nvidiaSmi().program() + " every " + sampleEvery;
    }

    /** Reads nvidia-smi once; empty (and the reason in {@link #status()}) when it gives no figure. */
    Optional<GpuSeen> sample(Instant now) {
        NvidiaSmi.Reading r;
        try {
            r = gpus.nvidiaSmi().read();
        } catch (NvidiaSmi.Failure e) {
            gpus.failed(e.getMessage());
            status(e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        gpus.update(r);
        OptionalDouble owner = OwnerGpuUse.busiest(r.gpus(), r.apps(), gpus.heldUuids(), jobs);
        if (owner.isEmpty()) {
            status(r.gpus().isEmpty() ? "nvidia-smi lists no GPU" : "no GPU reports its utilisation");
            return Optional.empty();
        }
        status("ok");
        return Optional.of(new GpuSeen("nvidia-smi", now, owner.getAsDouble()));
    }
}
