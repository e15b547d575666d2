package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Our parent group in the cgroup2 hierarchy, with the controllers jobs need enabled for its children.
 *
 * <p>In cgroup2 a child only gets a controller's files when every ancestor lists the controller in
 * {@code cgroup.subtree_control}, so each level from the hierarchy's root down to our parent has it
 * enabled. Every level of the parent path that holds only jobs gets the lowest CPU and I/O weight
 * (see {@link AgentCgroup}). The parent itself never holds processes (cgroup2 forbids processes in a group whose
 * children have controllers); jobs live in leaf groups below it.
 */
final class CgroupV2Tree {
    /** Controllers jobs use when the kernel offers them: idle CPU, memory limit, I/O weight, pid count. */
    static final List<String> WANTED = List.of("cpu", "memory", "io", "pids");

    private final Path root;
    private final Path parent;
    private final Set<String> enabled;
    private final List<String> degradations;

    private CgroupV2Tree(Path root, Path parent, Set<String> enabled, List<String> degradations) {
        this.root = root;
        this.parent = parent;
        this.enabled = enabled;
        this.degradations = degradations;
    }

    /**
     * Finds the cgroup2 mount ({@code cgroupRoot} itself on a pure-v2 machine, else
     * {@code cgroupRoot/unified} on a hybrid one), creates {@code parent} and enables controllers.
     *
     * @param requireCpuAndMemory true in auto mode: without the cpu and memory controllers v2 is not
     *     worth choosing over v1. When false (v2 forced by settings) whatever is there is used and
     *     {@link #degradations()} says what is missing.
     */
    static CgroupV2Tree prepare(Path cgroupRoot, String parent, boolean requireCpuAndMemory)
            throws CgroupUnavailableException {
        Path root = mountOf(cgroupRoot);
        if (root == null)
            throw new CgroupUnavailableException(
                    "no cgroup2 hierarchy at " + cgroupRoot + " or " + cgroupRoot.resolve("unified"));
        Set<String> offered;
        try {
            offered = Set.of(CgroupFile.read(root.resolve("cgroup.controllers")).split("\\s+"));
        } catch (IOException e) {
            throw new CgroupUnavailableException(e.getMessage());
        }
        List<String> lacking = new ArrayList<>();
        for (String c : List.of("cpu", "memory")) if (!offered.contains(c)) lacking.add(c);
        if (requireCpuAndMemory && !lacking.isEmpty()) {
            throw new CgroupUnavailableException(
                    "cgroup2 at " + root + " lacks the " + String.join(", ", lacking) + " controller");
        }
        Set<String> enabled = new LinkedHashSet<>();
        for (String c : WANTED) if (offered.contains(c)) enabled.add(c);
        Path dir = root.resolve(parent);
        try {
            Files.createDirectories(dir);
            for (Path level = root; ; level = level.resolve(dir.getName(level.getNameCount()))) {
                enable(level, enabled);
                if (level.equals(dir)) break;
            }
            for (Path level : AgentCgroup.jobOnlyLevels(root, parent, AgentCgroup.v2Path())) {
                if (enabled.contains("cpu")) CpuWeight.lowestV2(level);
                CpuWeight.lowestIo(level);
            }
        } catch (IOException e) {
            throw new CgroupUnavailableException(e.getMessage());
        }
        List<String> degradations = new ArrayList<>();
        if (!enabled.contains("cpu"))
            degradations.add(
                    "cgroup2 at " + root + " lacks the cpu controller: CPU idling by SCHED_IDLE + nice 19 only");
        else if (!CpuWeight.hasIdle(dir))
            degradations.add("no cpu.idle (kernel before 5.15): jobs get cpu.weight 1 + SCHED_IDLE");
        if (!enabled.contains("memory"))
            degradations.add("cgroup2 at " + root + " lacks the memory controller: no memory limit");
        return new CgroupV2Tree(root, dir, enabled, degradations);
    }

    Path parent() {
        return parent;
    }

    boolean has(String controller) {
        return enabled.contains(controller);
    }

    Path root() {
        return root;
    }

    List<String> degradations() {
        return degradations;
    }

    private static void enable(Path group, Set<String> controllers) throws IOException {
        Path control = group.resolve("cgroup.subtree_control");
        Set<String> on = Set.of(CgroupFile.read(control).split("\\s+"));
        for (String c : controllers) {
            if (!on.contains(c)) CgroupFile.write(control, "+" + c);
        }
    }

    private static Path mountOf(Path cgroupRoot) {
        for (Path candidate : List.of(cgroupRoot, cgroupRoot.resolve("unified"))) {
            if (Files.exists(candidate.resolve("cgroup.controllers"))) return candidate;
        }
        return null;
    }
}
