package org.cyphon.agent.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how this machine isolates jobs, once, at agent start.
 *
 * <p>In {@code auto} mode: cgroup v2 when its mount offers the cpu and memory controllers and our
 * parent group can be made there (a modern desktop); else cgroup v1 when the cpu, cpuacct, memory
 * and freezer hierarchies are writable (older or hybrid systems); else nice-only (not root, or a
 * container with read-only cgroups). A forced cgroup mode uses that version with whatever
 * controllers it has, and falls back to nice-only, saying why, when it cannot be used at all.
 *
 * <p>Logs one line saying which kind was chosen and why the better ones were not.
 */
public final class Sandboxes {
    private static final Logger log = LoggerFactory.getLogger(Sandboxes.class);

    private Sandboxes() {}

    /** Never fails: the worst case is a nice-only sandbox whose {@link Sandbox#note()} says why. */
    public static Sandbox detect(SandboxSettings s) {
        SystemTools tools = SystemTools.find();
        List<String> passedOver = new ArrayList<>();
        Sandbox chosen = switch (s.mode()) {
            case "cgroup-v2" -> v2(s, tools, false, passedOver);
            case "cgroup-v1" -> v1(s, tools, passedOver);
            case "auto" -> {
                Sandbox v2 = v2(s, tools, true, passedOver);
                yield v2 != null ? v2 : v1(s, tools, passedOver);
            }
            default -> null;
        };
        if (chosen == null) chosen = niceOnly(s, tools, passedOver);
        // A nice-only fallback already names the reasons in its note.
        String why = passedOver.isEmpty() || chosen.kind().equals("nice-only")
                ? ""
                : " (passed over " + String.join("; ", passedOver) + ")";
        log.info(
                "sandbox: {}{}{}",
                chosen.kind(),
                chosen.note().isEmpty() ? ", fully isolated" : ": " + chosen.note(),
                why);
        return chosen;
    }

    private static Sandbox v2(SandboxSettings s, SystemTools tools, boolean strict, List<String> passedOver) {
        try {
            CgroupV2Tree tree = CgroupV2Tree.prepare(s.cgroupRoot(), s.parent(), strict);
            return new ProcessSandbox(
                    "cgroup-v2",
                    note(tree.degradations(), tools),
                    tools,
                    spec -> CgroupV2Containment.create(tree, spec, s.pidsMax()),
                    () -> childGroups(tree.parent()).stream()
                            .map(id -> (Containment) CgroupV2Containment.adopt(tree, id))
                            .toList(),
                    walls(s, tools),
                    SandboxWalls.of(s, tools, tree.has("pids") ? null : "the cgroup2 tree lacks the pids controller"),
                    false);
        } catch (CgroupUnavailableException e) {
            passedOver.add("cgroup-v2: " + e.getMessage());
            return null;
        }
    }

    private static Sandbox v1(SandboxSettings s, SystemTools tools, List<String> passedOver) {
        try {
            CgroupV1Tree tree = CgroupV1Tree.prepare(s.cgroupRoot(), s.parent());
            return new ProcessSandbox(
                    "cgroup-v1",
                    note(tree.degradations(), tools),
                    tools,
                    spec -> CgroupV1Containment.create(tree, spec, s.pidsMax()),
                    () -> childGroups(tree.parents().get("freezer")).stream()
                            .map(id -> (Containment) CgroupV1Containment.adopt(tree, id))
                            .toList(),
                    walls(s, tools),
                    SandboxWalls.of(s, tools, tree.parents().containsKey("pids") ? null : "no pids hierarchy mounted"),
                    tree.hasDevices());
        } catch (CgroupUnavailableException e) {
            passedOver.add("cgroup-v1: " + e.getMessage());
            return null;
        }
    }

    private static Sandbox niceOnly(SandboxSettings s, SystemTools tools, List<String> passedOver) {
        String why;
        if (s.mode().equals("nice-only")) why = "nice-only forced by settings";
        else if (JobUser.currentUid() != 0) why = "no writable cgroup: not root";
        else why = "no usable cgroup: " + String.join("; ", passedOver);
        List<String> notes =
                new ArrayList<>(List.of(why + "; jobs run with SCHED_IDLE + nice 19 only, without memory limit"));
        return new ProcessSandbox(
                "nice-only",
                note(notes, tools),
                tools,
                spec -> new SessionContainment(tools.kill()),
                List::of,
                walls(s, tools),
                SandboxWalls.of(s, tools, "no cgroup (" + why + ")"),
                false);
    }

    /** Names of the job groups (sub-directories) directly under {@code parent}. */
    private static List<String> childGroups(Path parent) throws java.io.IOException {
        try (var dirs = java.nio.file.Files.list(parent)) {
            return dirs.filter(java.nio.file.Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    /** The namespaces around each job, or null where they cannot be built (the note says why). */
    private static JobWalls walls(SandboxSettings s, SystemTools tools) {
        return JobWalls.missing(tools).isEmpty() ? new JobWalls(tools, s.shareHomes()) : null;
    }

    private static String note(List<String> degradations, SystemTools tools) {
        List<String> all = new ArrayList<>(degradations);
        String noWalls = JobWalls.missing(tools);
        if (!noWalls.isEmpty()) {
            all.add("no namespaces around jobs (" + noWalls
                    + "): they share the desk's /tmp, /dev/shm, homes, process table and network");
        }
        List<String> missing = tools.missing();
        if (!missing.isEmpty()) all.add("missing programs: " + String.join(", ", missing));
        return String.join("; ", all);
    }
}
