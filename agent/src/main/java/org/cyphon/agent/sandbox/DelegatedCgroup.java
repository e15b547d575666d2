package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cgroup2 sub-tree a service manager delegated to the agent (systemd's {@code Delegate=yes} in
 * {@code cyphon-agent.service}), and the layout the agent keeps inside it:
 *
 * <pre>
 *   OWN/agent       the agent itself (moved here at start)
 *   OWN/jobs/ID     one leaf group per job
 * </pre>
 *
 * <p>Why: on a systemd desktop every cgroup outside a delegated sub-tree belongs to systemd, which
 * moves processes and removes groups it does not know; groups made directly under
 * {@code /sys/fs/cgroup} are fought over. Inside its own unit's group the agent may do as it likes,
 * but cgroup2 lets no group that hands controllers to children hold processes itself ("no internal
 * processes"), so the agent first moves itself into a leaf of its own and the jobs become its
 * siblings.
 *
 * <p>The agent's group counts as delegated when it is not the root, the agent may write its
 * {@code cgroup.subtree_control} and {@code cgroup.procs}, and the agent is alone in it (a service
 * whose launcher exec'd the JVM); or when the agent already sits in the {@code agent} leaf of such a
 * group (a second detection in the same process). A terminal's or a login session's group holds
 * other processes and so never counts: the agent then keeps today's layout.
 */
public final class DelegatedCgroup {
    static final String AGENT_LEAF = "agent";
    static final String JOBS = "jobs";
    /** Where systemd runs ExecStopPost= and friends of a delegated service. */
    static final String CONTROL_LEAF = ".control";

    private final Path mount;
    private final String path;

    private DelegatedCgroup(Path mount, String path) {
        this.mount = mount;
        this.path = path;
    }

    /**
     * The delegated group holding the process {@code pid}, whose cgroup2 path is {@code ownPath}, or
     * null when that group does not count as delegated (see the class comment).
     */
    static DelegatedCgroup find(Path mount, String ownPath, long pid) {
        String own = normalise(ownPath);
        if (own.isEmpty()) return null;
        Path dir = mount.resolve(own.substring(1));
        try {
            Path parent = dir.getParent();
            if (dir.getFileName().toString().equals(AGENT_LEAF)
                    && !parent.equals(mount)
                    && writableGroup(parent)
                    && CgroupFile.pids(parent.resolve("cgroup.procs")).isEmpty()
                    && Files.isDirectory(parent.resolve(JOBS))) {
                return new DelegatedCgroup(mount, own.substring(0, own.length() - AGENT_LEAF.length() - 1));
            }
            if (writableGroup(dir)
                    && CgroupFile.pids(dir.resolve("cgroup.procs")).equals(List.of(pid))) {
                return new DelegatedCgroup(mount, own);
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The group as a path from the mount's root, e.g. {@code /system.slice/cyphon-agent.service}. */
    public String path() {
        return path;
    }

    Path dir() {
        return mount.resolve(path.substring(1));
    }

    Path jobs() {
        return dir().resolve(JOBS);
    }

    /** Controllers the service manager made available to the sub-tree. */
    Set<String> offered() throws IOException {
        return Set.of(CgroupFile.read(dir().resolve("cgroup.controllers")).split("\\s+"));
    }

    /**
     * Moves process {@code pid} (the agent) into the {@code agent} leaf, then enables
     * {@code controllers} for the children of the group and of {@code jobs}.
     */
    void prepare(long pid, Set<String> controllers) throws IOException {
        Path agent = dir().resolve(AGENT_LEAF);
        Files.createDirectories(agent);
        if (!CgroupFile.pids(agent.resolve("cgroup.procs")).contains(pid)) {
            CgroupFile.write(agent.resolve("cgroup.procs"), Long.toString(pid));
        }
        Files.createDirectories(jobs());
        enable(dir(), controllers);
        enable(jobs(), controllers);
    }

    /**
     * {@link #release(Path, String)} for this process, in the cgroup2 hierarchy under
     * {@code cgroupRoot} (itself on a pure-v2 machine, {@code unified} below it on a hybrid one).
     */
    public static List<String> releaseOwnUnit(Path cgroupRoot) throws IOException {
        for (Path mount : List.of(cgroupRoot, cgroupRoot.resolve("unified"))) {
            if (Files.exists(mount.resolve("cgroup.controllers"))) return release(mount, AgentCgroup.v2Path());
        }
        return List.of("no cgroup2 hierarchy under " + cgroupRoot + ": nothing to release");
    }

    /**
     * Run as systemd's {@code ExecStopPost=} of the agent's unit, from that unit's {@code .control}
     * leaf: kills what a crashed agent left in its job groups, removes them and turns every
     * controller of the group off again. Without this, systemd cannot put the next agent into the
     * unit's group ("Failed at step CGROUP", EBUSY): a group that enables controllers for its
     * children may not hold processes, and with {@code KillMode=process} the job groups outlive the
     * agent.
     *
     * @param mount   the cgroup2 mount
     * @param ownPath this process's cgroup2 path, from {@code /proc/self/cgroup}
     * @return what was done, one line each; a single line saying why nothing was when this process
     *     does not run in a {@code .control} leaf
     */
    public static List<String> release(Path mount, String ownPath) throws IOException {
        String own = normalise(ownPath);
        if (!own.endsWith("/" + CONTROL_LEAF)) {
            return List.of("not in the " + CONTROL_LEAF + " group of a delegated unit (in '"
                    + (own.isEmpty() ? "/" : own) + "'): nothing to release");
        }
        Path unit = mount.resolve(own.substring(1)).getParent();
        List<String> done = new ArrayList<>();
        Path jobs = unit.resolve(JOBS);
        if (Files.isDirectory(jobs)) {
            for (Path group : childGroups(jobs)) {
                CgroupV2Containment leftover = CgroupV2Containment.at(group);
                int killed = leftover.killAll();
                leftover.remove();
                done.add("removed job group " + group + " (" + killed + " processes killed)");
            }
            CgroupDirs.remove(jobs);
        }
        Path agent = unit.resolve(AGENT_LEAF);
        if (Files.isDirectory(agent)
                && CgroupFile.pids(agent.resolve("cgroup.procs")).isEmpty()) {
            CgroupDirs.remove(agent);
        }
        Path control = unit.resolve("cgroup.subtree_control");
        String enabled = CgroupFile.read(control).strip();
        if (!enabled.isEmpty()) {
            for (String c : enabled.split("\\s+")) CgroupFile.write(control, "-" + c);
            done.add("turned off " + enabled + " in " + control);
        }
        if (done.isEmpty()) done.add("nothing left in " + unit);
        return done;
    }

    /**
     * When {@code ownPath} is the {@code agent} leaf of a delegated group laid out as above, that
     * group's path (everything in it is the agent's or its jobs'); else null.
     */
    public static String subtreeOfAgentLeaf(Path mount, String ownPath) {
        String own = normalise(ownPath);
        if (!own.endsWith("/" + AGENT_LEAF)) return null;
        String group = own.substring(0, own.length() - AGENT_LEAF.length() - 1);
        if (group.isEmpty()
                || !Files.isDirectory(mount.resolve(group.substring(1)).resolve(JOBS))) return null;
        return group;
    }

    private static boolean writableGroup(Path dir) {
        return Files.isWritable(dir.resolve("cgroup.subtree_control")) && Files.isWritable(dir.resolve("cgroup.procs"));
    }

    private static void enable(Path group, Set<String> controllers) throws IOException {
        Path control = group.resolve("cgroup.subtree_control");
        Set<String> on = Set.of(CgroupFile.read(control).split("\\s+"));
        for (String c : controllers) {
            if (!on.contains(c)) CgroupFile.write(control, "+" + c);
        }
    }

    private static List<Path> childGroups(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** "/a/b" from "/a/b/", "a/b" or "/a/b"; "" for the root. */
    private static String normalise(String path) {
        String p = path.strip();
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.isEmpty() || p.startsWith("/") ? p : "/" + p;
    }
}
