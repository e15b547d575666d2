package org.cyphon.agent.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV {@code nvidia-smi} prints for the two queries the agent asks, with
 * {@code --format=csv,noheader,nounits}: fields separated by {@code ", "}, one line per GPU or
 * process, {@code [N/A]} or {@code [Not Supported]} for what a GPU does not report.
 */
public final class NvidiaSmiCsv {
    /** The GPU query, in the order {@link #gpus} reads its fields. */
    public static final String GPU_FIELDS = "index,uuid,name,memory.total,utilization.gpu,pci.bus_id";
    /** The compute-process query, in the order {@link #computeApps} reads its fields. */
    public static final String APP_FIELDS = "pid,gpu_uuid";

    private NvidiaSmiCsv() {}

    /**
     * One {@link Gpu} per line (minor number still unknown: -1). A product name may hold a comma,
     * so the name is everything between the UUID and the last three fields.
     *
     * @throws IllegalArgumentException naming the first line that is not a GPU's
     */
    public static List<Gpu> gpus(String output) {
        List<Gpu> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.strip().split(",\\s*", -1);
            if (f.length < 6) throw notOurs(line);
            try {
                int index = Integer.parseInt(f[0].strip());
                String uuid = f[1].strip();
                if (!uuid.startsWith("GPU-") && !uuid.startsWith("MIG-")) throw notOurs(line);
                String name = String.join(", ", java.util.Arrays.asList(f).subList(2, f.length - 3))
                        .strip();
                long memory = number(f[f.length - 3]) == null ? 0 : (long) (double) number(f[f.length - 3]);
                Double busy = number(f[f.length - 2]);
                if (busy != null) busy = Math.min(100, Math.max(0, busy)) / 100.0;
                out.add(new Gpu(index, uuid, name, memory, busy, f[f.length - 1].strip(), -1));
            } catch (NumberFormatException e) {
                throw notOurs(line);
            }
        }
        return out;
    }

    /** One {@link ComputeApp} per line; lines that are not one (a version's "No running processes found") are skipped. */
    public static List<ComputeApp> computeApps(String output) {
        List<ComputeApp> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] f = line.strip().split(",\\s*");
            if (f.length != 2 || !f[0].matches("\\d{1,10}")) continue;
            out.add(new ComputeApp(Long.parseLong(f[0]), f[1].strip()));
        }
        return out;
    }

    /** A number, or null for nvidia-smi's {@code [N/A]} and {@code [Not Supported]}. */
    private static Double number(String field) {
        String v = field.strip();
        if (v.startsWith("[")) return null;
        return Double.parseDouble(v);
    }

    private static IllegalArgumentException notOurs(String line) {
        String l = line.strip();
        return new IllegalArgumentException(
                "not a GPU line: '" + (l.length() > 120 ? l.substring(0, 120) + "..." : l) + "'");
    }
}
