package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the kernel schedules a process, read from /proc rather than assumed: every thread's policy
 * and nice, and its cpu cgroup. Printed for the owner's workload so the reader can check it ran as
 * an ordinary user process (SCHED_OTHER, nice 0, outside Cyphon's cgroups) in every case.
 */
final class OwnerScheduling {
    private static final String[] POLICIES = {
        "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE"
    };

    private OwnerScheduling() {}

    /** e.g. "SCHED_OTHER nice 0 (all threads), cpu cgroup /". */
    static String of(long pid) {
        Set<String> seen = new TreeSet<>();
        Path proc = Path.of("/proc", Long.toString(pid));
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path t : tasks) {
                String stat = Files.readString(t.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                int nice = Integer.parseInt(f[16]); // field 19 of proc(5); f[0] is field 3
                int policy = Integer.parseInt(f[38]); // field 41
                seen.add((policy < POLICIES.length ? POLICIES[policy] : "policy " + policy) + " nice " + nice);
            }
            return String.join(" / ", seen) + " (all threads), cpu cgroup " + cpuCgroup(proc);
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String cpuCgroup(Path proc) throws IOException {
        String unified = "unknown";
        for (String line : Files.readAllLines(proc.resolve("cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (Set.of(f[1].split(",")).contains("cpu")) return f[2]; // v1 "4:cpu,cpuacct:/path"
            if (f[1].isEmpty()) unified = f[2]; // v2 "0::/path"
        }
        return unified;
    }
}
