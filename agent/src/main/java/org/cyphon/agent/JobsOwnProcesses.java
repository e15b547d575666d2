package org.cyphon.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.cyphon.agent.gpu.JobProcesses;
import org.cyphon.agent.sandbox.RunningJob;

/**
 * Which processes are the jobs' own, from {@code /proc}: a process in a job's cgroup (its path
 * ends in the attempt's id, {@code j42-a1}, in any hierarchy), or a descendant of a job's main
 * process (nice-only desks have no cgroup per job). Anything else, an orphan a job left behind
 * without a cgroup included, counts as the owner's: the mistake that costs the jobs, never the owner.
 */
final class JobsOwnProcesses implements JobProcesses {
    /** Ancestors looked at before giving up: process trees are rarely deeper. */
    private static final int MAX_DEPTH = 64;

    private final HeldAttempts attempts;
    private final Path proc;

    JobsOwnProcesses(HeldAttempts attempts, Path proc) {
        this.attempts = attempts;
        this.proc = proc;
    }

    @Override
    public boolean isJobs(long pid) {
        Set<String> ids = new HashSet<>();
        Map<Long, String> mains = new HashMap<>();
        for (LocalAttempt a : attempts.all()) {
            RunningJob job = a.job();
            if (job == null) continue;
            ids.add(a.id());
            mains.put(job.pid(), a.id());
        }
        if (ids.isEmpty()) return false;
        for (String line : read(pid, "cgroup").split("\n")) {
            String[] f = line.split(":", 3); // hierarchy-ID:controllers:path
            if (f.length < 3) continue;
            String path = f[2].strip();
            if (ids.contains(path.substring(path.lastIndexOf('/') + 1))) return true;
        }
        long p = pid;
        for (int i = 0; i < MAX_DEPTH && p > 1; i++) {
            if (mains.containsKey(p)) return true;
            p = parent(p);
        }
        return false;
    }

    /** The parent's pid from {@code stat} (the field after the state, past the parenthesised name); 0 when gone. */
    private long parent(long pid) {
        String stat = read(pid, "stat");
        int close = stat.lastIndexOf(')');
        if (close < 0) return 0;
        String[] f = stat.substring(close + 1).strip().split(" ");
        try {
            return f.length > 1 ? Long.parseLong(f[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String read(long pid, String file) {
        try {
            return Files.readString(proc.resolve(Long.toString(pid)).resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // gone meanwhile: nobody's
        }
    }
}
