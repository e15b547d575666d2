package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our parent group in the cgroup2 hierarchy, with the controllers jobs need enabled for its children.
 *
 * <p>In cgroup2 a child only gets a controller's files when every ancestor lists the controller in
 * {@code cgroup.subtree_control}, so each level from the hierarchy's root down to our parent has it
 * enabled. Every level of the parent path that holds only jobs gets the lowest CPU and I/O weight
 * (see {@link AgentCgroup}). The parent itself never holds processes (cgroup2 forbids processes in a group whose
 * children have controllers); jobs live in leaf groups below it.
 *
 * <p>When the agent runs in a group delegated to it ({@link DelegatedCgroup}: a systemd unit with
 * {@code Delegate=yes}), the parent is that group's {@code jobs} child instead, whatever the
 * settings' parent says, and nothing outside the delegated group is touched.
 */
final class CgroupV2Tree {
    private static final Logger log = LoggerFactory.getLogger(CgroupV2Tree.class);
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
        long pid = ProcessHandle.current().pid();
        DelegatedCgroup delegated = DelegatedCgroup.find(root, AgentCgroup.v2Path(), pid);
        Set<String> offered;
        try {
            offered = delegated != null
                    ? delegated.offered()
                    : Set.of(CgroupFile.read(root.resolve("cgroup.controllers")).split("\\s+"));
        } catch (IOException e) {
            throw new CgroupUnavailableException(e.getMessage());
        }
        String where = delegated != null ? "the delegated cgroup " + delegated.path() : "cgroup2 at " + root;
        List<String> lacking = new ArrayList<>();
        for (String c : List.of("cpu", "memory")) if (!offered.contains(c)) lacking.add(c);
        if (requireCpuAndMemory && !lacking.isEmpty()) {
            throw new CgroupUnavailableException(where + " lacks the " + String.join(", ", lacking) + " controller");
        }
        Set<String> enabled = new LinkedHashSet<>();
        for (String c : WANTED) if (offered.contains(c)) enabled.add(c);
        if (delegated != null) return inDelegated(root, delegated, pid, enabled, where);
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
        return new CgroupV2Tree(root, dir, enabled, degradations("cgroup2 at " + root, enabled, dir));
    }

    /** The agent moves into its leaf; jobs go to {@code jobs/}, the only level made idle. */
    private static CgroupV2Tree inDelegated(
            Path root, DelegatedCgroup delegated, long pid, Set<String> enabled, String where)
            throws CgroupUnavailableException {
        try {
            delegated.prepare(pid, enabled);
            log.info(
                    "cgroup2: the agent runs in the delegated cgroup {}: moved itself to {}/{}, jobs go to {}/{}",
                    delegated.path(),
                    delegated.path(),
                    DelegatedCgroup.AGENT_LEAF,
                    delegated.path(),
                    DelegatedCgroup.JOBS);
            if (enabled.contains("cpu")) CpuWeight.lowestV2(delegated.jobs());
            CpuWeight.lowestIo(delegated.jobs());
        } catch (IOException e) {
            throw new CgroupUnavailableException(where + ": " + e.getMessage());
        }
        return new CgroupV2Tree(root, delegated.jobs(), enabled, degradations(where, enabled, delegated.jobs()));
    }

    private static List<String> degradations(String where, Set<String> enabled, Path parent) {
        List<String> degradations = new ArrayList<>();
        if (!enabled.contains("cpu"))
            degradations.add(where + " lacks the cpu controller: CPU idling by SCHED_IDLE + nice 19 only");
        else if (!CpuWeight.hasIdle(parent))
            degradations.add("no cpu.idle (kernel before 5.15): jobs get cpu.weight 1 + SCHED_IDLE");
        if (!enabled.contains("memory")) degradations.add(where + " lacks the memory controller: no memory limit");
        if (!enabled.contains("pids"))
            degradations.add(where + " lacks the pids controller: no pids.max, a job may fork without limit");
        return degradations;
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
