package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says about a process, read straight from /proc by the tests themselves (not
 * through the sandbox's own parser, so a parsing mistake there cannot hide behind itself).
 */
final class ProcFacts {
    private ProcFacts() {}

    /** False when the process is gone or a zombie (dead; our test machine's init does not reap orphans). */
    static boolean alive(long pid) {
        String stat = stat(pid);
        if (stat == null) return false;
        char state = afterComm(stat)[0].charAt(0);
        return state != 'Z' && state != 'X';
    }

    /** Field 41 of /proc/PID/stat: 5 is SCHED_IDLE. */
    static int policy(long pid) {
        return Integer.parseInt(afterComm(stat(pid))[41 - 3]);
    }

    /** Field 19 of /proc/PID/stat. */
    static int nice(long pid) {
        return Integer.parseInt(afterComm(stat(pid))[19 - 3]);
    }

    /** Field 3 of /proc/PID/stat: 'T' when stopped by a signal. */
    static char state(long pid) {
        return afterComm(stat(pid))[0].charAt(0);
    }

    /** Real uid from the "Uid:" line of /proc/PID/status. */
    static int uid(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Uid:")) return Integer.parseInt(line.split("\\s+")[1]);
        }
        throw new IOException("no Uid line for " + pid);
    }

    /** Above any pid the kernel hands out: "written by the job, but that process is gone". */
    static final long GONE = 4_194_305L;

    /**
     * The host pid of a process that wrote {@code innerPid} ({@code $$}) from inside the job's pid
     * namespace: the process whose last NSpid entry is {@code innerPid} and whose working directory
     * is {@code workDir} (the same inode; its path is not reachable from outside the job's mount
     * namespace). Without a pid namespace the two pids are the same. {@link #GONE} when no such
     * process is left.
     */
    static long hostPid(long innerPid, Path workDir) {
        Object work;
        try {
            work = Files.readAttributes(workDir, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
        } catch (IOException e) {
            return GONE;
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    String nspid = Files.readAllLines(p.resolve("status")).stream()
                            .filter(l -> l.startsWith("NSpid:"))
                            .findFirst()
                            .orElse("");
                    String[] f = nspid.trim().split("\\s+");
                    if (f.length < 2 || Long.parseLong(f[f.length - 1]) != innerPid) continue;
                    Object cwd = Files.readAttributes(
                                    p.resolve("cwd"), java.nio.file.attribute.BasicFileAttributes.class)
                            .fileKey();
                    if (work.equals(cwd)) return Long.parseLong(name);
                } catch (IOException | RuntimeException gone) {
                    // ended while we looked, or not ours to read
                }
            }
        } catch (IOException e) {
            return GONE;
        }
        return GONE;
    }

    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
    }

    private static String[] afterComm(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }
}
