package org.cyphon.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU used during one run of the owner's workload by each group of processes (the burners, the
 * agent's jobs, the agent, ...) and by the whole machine; what nobody in a group used is what
 * other people's processes took. Unlike {@link CpuAccount} a label stands for several processes
 * (every job of the agent) and counts each one's reaped children with it, since the benchmark's own
 * children are the owner's workload.
 */
final class OwnerCpuWindow {
    /** Cores used on average over the window (1.0 = one core all the time), per group and by the machine. */
    record Usage(Map<String, Double> cores, double machineCores, long fromNanos, long toNanos) {
        long wallNanos() {
            return toNanos - fromNanos;
        }

        double of(String label) {
            return cores.getOrDefault(label, 0.0);
        }

        /** The machine's busy time no group accounts for: other people's processes. */
        double others() {
            return Math.max(
                    0,
                    machineCores
                            - cores.values().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .sum());
        }
    }

    private final Map<String, List<Long>> groups;
    /** One meter per process, made before the window opens: each ProcessMeter asks getconf for the tick rate. */
    private final Map<Long, ProcessMeter> meters = new LinkedHashMap<>();

    private final Map<Long, ProcessMeter.Sample> before = new LinkedHashMap<>();
    private final MachineCpu.Sample machineBefore;
    private final long ticksPerSecond;

    private OwnerCpuWindow(Map<String, List<Long>> groups) throws IOException {
        this.groups = groups;
        long ticks = 100;
        for (List<Long> pids : groups.values()) {
            for (long pid : pids) {
                ProcessMeter m = new ProcessMeter(pid);
                meters.put(pid, m);
                ticks = m.ticksPerSecond();
                ProcessMeter.Sample s = sampleOrNull(m);
                if (s != null) before.put(pid, s);
            }
        }
        this.ticksPerSecond = ticks;
        this.machineBefore = MachineCpu.sample();
    }

    /** @param groups label to the processes it stands for, all alive now */
    static OwnerCpuWindow start(Map<String, List<Long>> groups) throws IOException {
        return new OwnerCpuWindow(groups);
    }

    Usage stop() throws IOException {
        MachineCpu.Sample machineAfter = MachineCpu.sample();
        double wall = (machineAfter.nanoTime() - machineBefore.nanoTime()) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        for (Map.Entry<String, List<Long>> g : groups.entrySet()) {
            long ticks = 0;
            for (long pid : g.getValue()) {
                ProcessMeter.Sample from = before.get(pid);
                // A process that ended inside the window loses its last readings to "other processes".
                ProcessMeter.Sample to = from == null ? null : sampleOrNull(meters.get(pid));
                if (to != null) ticks += to.cpuTicks() + to.childrenTicks() - from.cpuTicks() - from.childrenTicks();
            }
            cores.put(g.getKey(), wall <= 0 ? 0 : ticks / (double) ticksPerSecond / wall);
        }
        return new Usage(
                cores,
                MachineCpu.cores(machineBefore, machineAfter, ticksPerSecond),
                machineBefore.nanoTime(),
                machineAfter.nanoTime());
    }

    private static ProcessMeter.Sample sampleOrNull(ProcessMeter m) {
        try {
            return m.sample();
        } catch (IOException | RuntimeException e) {
            return null; // gone
        }
    }
}
