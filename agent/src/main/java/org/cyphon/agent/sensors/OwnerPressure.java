package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.agent.sandbox.DelegatedCgroup;

/**
 * Pressure stall figures of the owner's processes only: the highest "some avg10" among the cgroup2
 * groups that hold neither the agent nor Cyphon's jobs (on a systemd desktop: {@code user.slice},
 * {@code init.scope}, the other services of {@code system.slice}).
 *
 * <p>Why not {@code /proc/pressure}: it counts every task, and jobs at idle priority wait for the CPU
 * whenever the owner uses it or there are more jobs than cores — their own waiting would read as the
 * owner's distress and freeze them. A group's pressure counts only its own tasks, so the owner's
 * groups show the owner's distress and nothing else. Where no cgroup separates the two (no cgroup2
 * hierarchy, or the agent itself in the root group, as under a bare init), the system-wide figures
 * are used and {@link #scope()} says so.
 */
final class OwnerPressure {

    private final Path procDir;
    private final Path cgroup2;
    private final List<String> ours;
    private final String fallbackReason;

    private OwnerPressure(Path procDir, Path cgroup2, List<String> ours, String fallbackReason) {
        this.procDir = procDir;
        this.cgroup2 = cgroup2;
        this.ours = ours;
        this.fallbackReason = fallbackReason;
    }

    /** System-wide figures from {@code procDir/pressure}. */
    static OwnerPressure systemWide(Path procDir, String why) {
        return new OwnerPressure(procDir, null, List.of(), why);
    }

    /**
     * @param cgroup2   the cgroup2 mount
     * @param ourPaths  groups of the agent and of the jobs, as paths from the mount's root
     *                  ({@code /system.slice/cyphon-agent.service}, {@code /cyphon})
     */
    static OwnerPressure ownerGroups(Path procDir, Path cgroup2, List<String> ourPaths) {
        List<String> ours =
                ourPaths.stream().map(OwnerPressure::normalise).distinct().toList();
        if (ours.contains("")) {
            return systemWide(procDir, "the agent runs in the root cgroup, beside the owner's processes");
        }
        return new OwnerPressure(procDir, cgroup2, ours, null);
    }

    /**
     * As the agent finds itself: the cgroup2 mount under {@code cgroupRoot} (itself, or
     * {@code unified} on a hybrid machine), the agent's own group from {@code /proc/self/cgroup},
     * and the jobs' parent when jobs live in cgroup2 (else they share the agent's group).
     */
    static OwnerPressure detect(Path procDir, Path cgroupRoot, String v2JobParent) {
        Path mount = Files.exists(cgroupRoot.resolve("cgroup.controllers"))
                ? cgroupRoot
                : Files.exists(cgroupRoot.resolve("unified/cgroup.controllers")) ? cgroupRoot.resolve("unified") : null;
        if (mount == null) return systemWide(procDir, "no cgroup2 hierarchy under " + cgroupRoot);
        String self = selfV2Path(procDir);
        if (self == null) return systemWide(procDir, "the agent's own cgroup is unknown");
        List<String> ours = new ArrayList<>(List.of(self));
        if (v2JobParent != null) ours.add("/" + v2JobParent);
        // In a delegated cgroup (a systemd unit) the agent sits in its leaf and the jobs beside it:
        // the whole unit's group is ours.
        String delegated = DelegatedCgroup.subtreeOfAgentLeaf(mount, self);
        if (delegated != null) ours.add(delegated);
        return ownerGroups(procDir, mount, ours);
    }

    /** "some avg10" of {@code resource} (cpu, memory, io), or {@link PressureStall#UNKNOWN}. */
    double some10s(String resource) {
        if (cgroup2 == null)
            return PressureStall.some10s(procDir.resolve("pressure").resolve(resource));
        double most = PressureStall.UNKNOWN;
        for (Path group : ownerGroupDirs()) {
            most = Math.max(most, PressureStall.some10s(group.resolve(resource + ".pressure")));
        }
        return most;
    }

    /** Which figures these are, for the sensor's status. */
    String scope() {
        if (cgroup2 == null) return "system-wide pressure (" + fallbackReason + "): the jobs' own waits count too";
        return "pressure of the owner's cgroups (all but " + ours + ")";
    }

    /**
     * The groups that are not ours nor on the way to ours: at each level, the children off our
     * paths are the owner's; a child on our path is descended into, and our own groups are skipped.
     */
    List<Path> ownerGroupDirs() {
        List<Path> out = new ArrayList<>();
        collect(cgroup2, "", out);
        return out;
    }

    private void collect(Path dir, String path, List<Path> out) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : children) {
                String p = path + "/" + child.getFileName();
                if (ours.contains(p)) continue;
                if (ours.stream().anyMatch(o -> o.startsWith(p + "/"))) collect(child, p, out);
                else out.add(child);
            }
        } catch (IOException e) {
            // a group removed while we look: it holds nobody any more
        }
    }

    private static String normalise(String path) {
        String p = path.strip();
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.isEmpty() || p.startsWith("/") ? p : "/" + p;
    }

    private static String selfV2Path(Path procDir) {
        try {
            for (String line : Files.readAllLines(procDir.resolve("self/cgroup"))) {
                if (line.startsWith("0::")) return line.substring(3);
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
