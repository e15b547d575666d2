package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our parent group in each cgroup v1 controller hierarchy, made ready for job groups.
 *
 * <p>Every level of the parent path that holds only jobs gets the lowest CPU and I/O weight (see
 * {@link AgentCgroup} for why every level). Controllers cpu, cpuacct, memory and freezer are required (idle CPU, CPU accounting, memory
 * limit, freeze/kill); blkio, pids and devices are joined when mounted, so the job's I/O weight is
 * lowest, its processes are counted and it can be denied device nodes (GPUs not its own). cpu and cpuacct are often co-mounted ({@code cpu,cpuacct} with two
 * symlinks); then one directory serves both.
 */
final class CgroupV1Tree {
    static final List<String> REQUIRED = List.of("cpu", "cpuacct", "memory", "freezer");
    static final List<String> OPTIONAL = List.of("blkio", "pids", "devices");

    /** Controller name to our parent directory in its hierarchy. */
    private final Map<String, Path> parents;

    private final List<String> degradations;

    private CgroupV1Tree(Map<String, Path> parents, List<String> degradations) {
        this.parents = parents;
        this.degradations = degradations;
    }

    /**
     * Finds the v1 hierarchies under {@code cgroupRoot}, creates {@code parent} in each and gives it
     * the lowest CPU and I/O weight.
     *
     * @throws CgroupUnavailableException naming the missing hierarchy or the directory that could not
     *     be written
     */
    static CgroupV1Tree prepare(Path cgroupRoot, String parent) throws CgroupUnavailableException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String controller : REQUIRED) {
            Path mount = mountOf(cgroupRoot, controller);
            if (mount == null
                    && controller.equals("cpuacct")
                    && mounts.containsKey("cpu")
                    && Files.exists(mounts.get("cpu").resolve("cpuacct.usage"))) {
                mount = mounts.get("cpu");
            }
            if (mount == null) missing.add(controller);
            else mounts.put(controller, mount);
        }
        if (!missing.isEmpty()) {
            throw new CgroupUnavailableException(
                    "no cgroup v1 " + String.join(", ", missing) + " hierarchy under " + cgroupRoot);
        }
        for (String controller : OPTIONAL) {
            Path mount = mountOf(cgroupRoot, controller);
            if (mount != null) mounts.put(controller, mount);
        }
        Map<String, Path> parents = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : mounts.entrySet()) {
            Path dir = e.getValue().resolve(parent);
            try {
                Files.createDirectories(dir);
            } catch (IOException ex) {
                throw new CgroupUnavailableException("cannot create " + dir + ": " + ex.getMessage());
            }
            parents.put(e.getKey(), dir);
        }
        List<String> degradations = new ArrayList<>();
        try {
            for (Path level : AgentCgroup.jobOnlyLevels(mounts.get("cpu"), parent, AgentCgroup.v1Path("cpu"))) {
                CpuWeight.lowestV1(level);
            }
        } catch (IOException e) {
            throw new CgroupUnavailableException(e.getMessage());
        }
        if (!CpuWeight.hasIdle(parents.get("cpu"))) {
            degradations.add("no cpu.idle (kernel before 5.15): jobs get cpu.shares 2 + SCHED_IDLE");
        }
        if (mounts.containsKey("blkio")) {
            AgentCgroup.jobOnlyLevels(mounts.get("blkio"), parent, AgentCgroup.v1Path("blkio"))
                    .forEach(CpuWeight::lowestIo);
        }
        if (!parents.containsKey("pids")) {
            degradations.add("no pids hierarchy: no pids.max, a job may fork without limit");
        }
        return new CgroupV1Tree(parents, degradations);
    }

    Map<String, Path> parents() {
        return parents;
    }

    /** Whether jobs get a group in the devices hierarchy, which denies device nodes by number. */
    boolean hasDevices() {
        return parents.containsKey("devices");
    }

    /** What is weaker than full isolation on this kernel; empty when nothing is. */
    List<String> degradations() {
        return degradations;
    }

    /** The hierarchy's mount for {@code controller}, resolved through co-mount symlinks; null when absent. */
    private static Path mountOf(Path cgroupRoot, String controller) {
        Path dir = cgroupRoot.resolve(controller);
        // "tasks" exists only in v1 hierarchies; "cgroup.controllers" only in cgroup2.
        if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("tasks"))) return null;
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }
}
