package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a JVM's JIT compiler threads ({@code C1 CompilerThread*}, {@code C2 CompilerThread*}),
 * from {@code /proc/PID/task/TID/stat}.
 *
 * <p>Why: a coordinator still compiling its dispatch path spends up to half of this machine's two
 * cores in its compiler threads (a JFR recording of a run after 30,000 warm-up jobs showed 5 s of
 * compilation in a 5 s timed window), which the benchmark then reports as the coordinator being
 * slow. The warm-up runs until these threads have gone quiet, and the report says what they used
 * in the timed window.
 */
final class JitCompilerCpu {
    /** Clock ticks per second of {@code /proc} times (USER_HZ; 100 on Linux everywhere that matters). */
    private static final double TICKS_PER_SECOND = 100;

    private JitCompilerCpu() {}

    /** A reading: the compiler threads' user + system ticks so far, and when. */
    record Reading(long ticks, long atNanos) {
        /** Cores the compiler threads used from {@code this} to {@code later} (1.0 = one core all along). */
        double coresUntil(Reading later) {
            double seconds = (later.atNanos - atNanos) / 1e9;
            return seconds <= 0 ? 0 : (later.ticks - ticks) / TICKS_PER_SECOND / seconds;
        }
    }

    static Reading read(long pid) throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                if (open < 0 || close < open) continue;
                String comm = stat.substring(open + 1, close);
                if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) continue;
                // After "(comm) ": state is field 3; utime and stime are fields 14 and 15.
                String[] f = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
        }
        return new Reading(ticks, System.nanoTime());
    }
}
