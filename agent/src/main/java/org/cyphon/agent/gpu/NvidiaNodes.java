package org.cyphon.agent.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cyphon.agent.sandbox.DeviceNode;

/**
 * The NVIDIA driver's character device nodes in a device directory: one {@code nvidiaN} per GPU
 * (N its device minor), and the shared ones every CUDA process opens besides its GPUs
 * ({@code nvidiactl}, {@code nvidia-uvm}, {@code nvidia-uvm-tools}, {@code nvidia-modeset}, and
 * {@code nvidia-caps/*} for MIG). Read when each job starts, so nodes made after the agent started
 * (the driver loaded late) are covered too.
 *
 * @param gpus   the per-GPU nodes by minor
 * @param shared the driver's other nodes
 */
public record NvidiaNodes(Map<Integer, DeviceNode> gpus, List<DeviceNode> shared) {
    private static final Pattern GPU_NODE = Pattern.compile("nvidia(\\d{1,3})");

    public NvidiaNodes {
        gpus = Map.copyOf(gpus);
        shared = List.copyOf(shared);
    }

    /** The nodes in {@code devDir}; none when it cannot be read. */
    public static NvidiaNodes scan(Path devDir) {
        Map<Integer, DeviceNode> gpus = new TreeMap<>();
        List<DeviceNode> shared = new ArrayList<>();
        for (Path p : list(devDir)) {
            String name = p.getFileName().toString();
            if (!name.startsWith("nvidia")) continue;
            if (name.equals("nvidia-caps")) {
                for (Path cap : list(p)) add(shared, DeviceNode.read(cap));
                continue;
            }
            DeviceNode node = DeviceNode.read(p);
            if (node == null) continue;
            Matcher m = GPU_NODE.matcher(name);
            if (m.matches()) gpus.put(Integer.parseInt(m.group(1)), node);
            else shared.add(node);
        }
        return new NvidiaNodes(gpus, shared);
    }

    /** Whether the driver has any node here at all. */
    public boolean any() {
        return !gpus.isEmpty() || !shared.isEmpty();
    }

    /**
     * What a job holding the GPUs with these minors must not open: every other GPU's node, and,
     * when it holds none, the shared nodes too (a job without a GPU has no business with the driver).
     */
    public List<DeviceNode> hiddenFrom(Set<Integer> ownMinors) {
        List<DeviceNode> out = new ArrayList<>();
        gpus.forEach((minor, node) -> {
            if (!ownMinors.contains(minor)) out.add(node);
        });
        if (ownMinors.isEmpty()) out.addAll(shared);
        return out;
    }

    private static void add(List<DeviceNode> to, DeviceNode node) {
        if (node != null) to.add(node);
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
