package org.cyphon.agent.gpu;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.cyphon.agent.sandbox.DeviceNode;
import org.cyphon.core.protocol.GpuView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This desk's GPUs and who holds them. A job gets whole GPUs of its own, lowest index first, for
 * as long as it runs; the coordinator counts the same GPUs from its live attempts, so two jobs are
 * never handed one GPU. The list comes from {@code nvidia-smi}, read once when the agent starts and
 * again at every sample of the GPU sensor.
 *
 * <p>Thread-safe: the launcher, the heartbeat and the sensor share it.
 */
public final class DeskGpus {
    private static final Logger log = LoggerFactory.getLogger(DeskGpus.class);

    /** An attempt holding GPUs. */
    private record Holder(String attempt, long jobId) {}

    private final NvidiaSmi smi;
    private final Path devDir;
    private final Path driverDir;
    private List<Gpu> gpus = List.of();
    private List<ComputeApp> apps = List.of();
    /** By GPU UUID. */
    private final Map<String, Holder> held = new LinkedHashMap<>();

    private String status;

    /** @param smi null on a desk without nvidia-smi: no GPU is offered */
    public DeskGpus(NvidiaSmi smi, Path devDir) {
        this(smi, devDir, DriverMinors.PROC_GPUS);
    }

    DeskGpus(NvidiaSmi smi, Path devDir, Path driverDir) {
        this.smi = smi;
        this.devDir = devDir;
        this.driverDir = driverDir;
        this.status = smi == null ? "no nvidia-smi" : "not read yet";
    }

    /** The GPUs of {@code settings}' desk, read now (the agent offers them from its first heartbeat on). */
    public static DeskGpus open(GpuSettings settings) {
        Optional<NvidiaSmi> smi = NvidiaSmi.find(settings);
        DeskGpus d = new DeskGpus(smi.orElse(null), settings.devDir());
        if (smi.isPresent()) {
            try {
                d.update(smi.get().read());
            } catch (NvidiaSmi.Failure e) {
                d.failed(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return d;
    }

    /** The nvidia-smi this desk reads, or null. */
    public NvidiaSmi nvidiaSmi() {
        return smi;
    }

    /** A new reading: the GPUs now (those held stay held, by UUID), and the processes on them. */
    public synchronized void update(NvidiaSmi.Reading r) {
        List<Gpu> withMinors = new ArrayList<>(r.gpus().size());
        for (Gpu g : r.gpus()) {
            OptionalInt minor = DriverMinors.of(driverDir, g.busId());
            // Without the driver's word the index is the best guess: they agree on one-GPU desks.
            withMinors.add(g.withMinor(minor.orElse(g.index())));
        }
        if (!sameSet(withMinors, gpus)) log.info("gpus: {}", describe(withMinors));
        gpus = List.copyOf(withMinors);
        apps = r.apps();
        status = "ok";
    }

    /** The last reading failed: keep the GPUs known (a hiccup must not take them away from their jobs). */
    public synchronized void failed(String why) {
        if (!why.equals(status)) log.info("gpus: {}", why);
        status = why;
    }

    /** "ok", or why the last reading gave nothing. */
    public synchronized String status() {
        return status;
    }

    public synchronized List<Gpu> gpus() {
        return gpus;
    }

    public synchronized List<ComputeApp> computeApps() {
        return apps;
    }

    /** The UUIDs of the GPUs jobs hold now. */
    public synchronized Set<String> heldUuids() {
        return new HashSet<>(held.keySet());
    }

    /**
     * Gives the attempt {@code count} free GPUs, lowest index first.
     *
     * @throws IOException when fewer are free (the coordinator's count and ours disagree: the job is
     *     reported failed to start, and runs again elsewhere or later)
     */
    public synchronized List<Gpu> assign(String attempt, long jobId, int count) throws IOException {
        if (count <= 0) return List.of();
        List<Gpu> free = gpus.stream()
                .filter(g -> !held.containsKey(g.uuid()))
                .sorted(java.util.Comparator.comparingInt(Gpu::index))
                .toList();
        if (free.size() < count) {
            throw new IOException("the job asks for " + count + (count == 1 ? " GPU" : " GPUs") + "; this desk has "
                    + free.size() + " free of " + gpus.size()
                    + (status.equals("ok") ? "" : " (nvidia-smi: " + status + ")"));
        }
        List<Gpu> mine = free.subList(0, count);
        for (Gpu g : mine) held.put(g.uuid(), new Holder(attempt, jobId));
        log.info("job {}: GPUs {}", jobId, mine.stream().map(Gpu::index).toList());
        return List.copyOf(mine);
    }

    /** The attempt's GPUs are free again. */
    public synchronized void release(String attempt) {
        held.values().removeIf(h -> h.attempt().equals(attempt));
    }

    /** What the heartbeat tells the coordinator: every GPU, with the job that holds it. */
    public synchronized List<GpuView> views() {
        List<GpuView> out = new ArrayList<>(gpus.size());
        for (Gpu g : gpus) {
            Holder h = held.get(g.uuid());
            out.add(new GpuView(
                    g.index(),
                    g.uuid(),
                    g.name(),
                    g.memoryMib() << 20,
                    g.busyFraction(),
                    h == null ? null : h.jobId()));
        }
        return out;
    }

    /** The driver's nodes now, to wall a job off from those not its own. */
    public NvidiaNodes nodes() {
        return NvidiaNodes.scan(devDir);
    }

    /** The device nodes a job holding {@code mine} must not open. */
    public List<DeviceNode> hiddenFrom(List<Gpu> mine) {
        Set<Integer> minors = new HashSet<>();
        for (Gpu g : mine) minors.add(g.minor());
        return nodes().hiddenFrom(minors);
    }

    private static boolean sameSet(List<Gpu> a, List<Gpu> b) {
        return a.stream()
                .map(Gpu::uuid)
                .toList()
                .equals(b.stream().map(Gpu::uuid).toList());
    }

    private static String describe(List<Gpu> gpus) {
        if (gpus.isEmpty()) return "none";
        List<String> out = new ArrayList<>();
        for (Gpu g : gpus) out.add(g.index() + ": " + g.name() + " " + g.uuid() + " (/dev/nvidia" + g.minor() + ")");
        return String.join("; ", out);
    }
}
