package org.cyphon.agent.sandbox;

import java.util.Map;
import org.cyphon.core.text.Sizes;

/** Turns what the sandbox observed at the end of a job into a {@link JobExit}. Pure: data in, record out. */
final class DescribeExit {
    private static final Map<Integer, String> NAMES = Map.of(
            1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 13, "SIGPIPE", 15,
            "SIGTERM");

    /** The signal the kernel sends a process that writes past its RLIMIT_FSIZE (the job's disk limit). */
    static final int SIGXFSZ = 25;

    private DescribeExit() {}

    /**
     * @param status        {@code Process.exitValue()}: the exit code, or 128+N after death by signal N
     * @param killRequested {@link RunningJob#kill()} was called
     * @param oomKills      processes of the job the kernel OOM killer killed
     * @param memoryLimit   the job's memory limit in bytes, for the message
     * @param cleanupFailure why killing leftovers or removing the cgroup failed, or null
     */
    static JobExit of(
            int status,
            boolean killRequested,
            long oomKills,
            long memoryLimit,
            double cpuSeconds,
            String cleanupFailure) {
        Integer code = status;
        Integer signal = null;
        if (status > 128 && status <= 128 + 64) {
            signal = status - 128;
            code = null;
        }
        boolean sigkill = signal != null && signal == 9;
        String message = null;
        if (oomKills > 0) {
            message = (sigkill
                            ? "killed by the kernel OOM killer"
                            : oomKills + " of its processes killed by the kernel OOM killer")
                    + ": memory limit " + Sizes.format(memoryLimit) + " exceeded";
        } else if (killRequested && sigkill) {
            message = "killed on request";
        } else if (signal != null) {
            message = "killed by signal " + signal + (NAMES.containsKey(signal) ? " (" + NAMES.get(signal) + ")" : "");
        }
        if (cleanupFailure != null) {
            message = (message == null ? "" : message + "; ") + "sandbox cleanup failed: " + cleanupFailure;
        }
        return new JobExit(code, signal, cpuSeconds, message);
    }
}
