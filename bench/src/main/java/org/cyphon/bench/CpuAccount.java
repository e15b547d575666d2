package org.cyphon.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used over one measured window by each process we care about, and by the whole machine: the
 * processes share two cores with each other and with whatever else runs, so a figure means little
 * without knowing who had the cores.
 */
final class CpuAccount {
    /** Cores used (1.0 = one core for the whole window) by each labelled process, and by the machine. */
    record Usage(Map<String, Double> cores, double machineCores) {
        double of(String label) {
            return cores.getOrDefault(label, 0.0);
        }

        /** What processes other than the labelled ones used. */
        double others() {
            return Math.max(
                    0,
                    machineCores
                            - cores.values().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .sum());
        }
    }

    /** Suffix of the label under which a process's reaped children are counted, see {@link #childrenOf}. */
    static final String CHILDREN = " (its exited children)";

    private final Map<String, ProcessMeter> meters = new LinkedHashMap<>();
    private final Map<String, ProcessMeter.Sample> before = new LinkedHashMap<>();
    private final MachineCpu.Sample machineBefore;
    private final long ticksPerSecond;

    private CpuAccount(Map<String, Long> pids) throws IOException {
        long ticks = 100;
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            ProcessMeter m = new ProcessMeter(e.getValue());
            meters.put(e.getKey(), m);
            before.put(e.getKey(), m.sample());
            ticks = m.ticksPerSecond();
        }
        this.ticksPerSecond = ticks;
        this.machineBefore = MachineCpu.sample();
    }

    /**
     * Starts the window now.
     *
     * @param pids label -> process id, in the order the table shows them
     */
    static CpuAccount start(Map<String, Long> pids) throws IOException {
        return new CpuAccount(pids);
    }

    Usage stop() throws IOException {
        MachineCpu.Sample machineAfter = MachineCpu.sample();
        Map<String, Double> cores = new LinkedHashMap<>();
        for (Map.Entry<String, ProcessMeter> e : meters.entrySet()) {
            ProcessMeter.Sample from = before.get(e.getKey()), to = e.getValue().sample();
            cores.put(e.getKey(), e.getValue().cpuPercentOfOneCore(from, to) / 100);
            double children = e.getValue().childrenPercentOfOneCore(from, to) / 100;
            if (children > 0) cores.put(childrenOf(e.getKey()), children);
        }
        return new Usage(cores, MachineCpu.cores(machineBefore, machineAfter, ticksPerSecond));
    }

    /** The label of a process's exited children, e.g. the agent's jobs and their launch wrappers. */
    static String childrenOf(String label) {
        return label + CHILDREN;
    }

    /** "1.37 of 2 cores". */
    static String cores(double cores) {
        return Figures.decimal(cores, 2) + " of " + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
