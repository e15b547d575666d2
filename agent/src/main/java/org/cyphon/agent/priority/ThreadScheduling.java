package org.cyphon.agent.priority;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the kernel schedules one thread of this process, read from
 * {@code /proc/self/task/TID/stat} rather than assumed: its policy (field 41) and nice (field 19).
 *
 * @param policy the policy number ({@link #SCHED_OTHER}, {@link #SCHED_IDLE}, ...)
 * @param nice   the nice value, -20..19 (meaningless under SCHED_IDLE, which is below every nice)
 */
public record ThreadScheduling(int policy, int nice) {
    public static final int SCHED_OTHER = 0;
    public static final int SCHED_BATCH = 3;
    public static final int SCHED_IDLE = 5;

    private static final String[] NAMES = {
        "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE"
    };

    /** The calling thread's own id (as ps -L shows it), from the {@code /proc/thread-self} link. */
    public static long currentTid() throws IOException {
        // "/proc/thread-self" -> "12345/task/12350"
        Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Long.parseLong(link.getFileName().toString());
    }

    /** The calling thread's scheduling now. */
    public static ThreadScheduling current() throws IOException {
        return of(currentTid());
    }

    /** Thread {@code tid} of this process. */
    public static ThreadScheduling of(long tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task", Long.toString(tid), "stat"));
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return new ThreadScheduling(Integer.parseInt(f[38]), Integer.parseInt(f[16])); // fields 41 and 19
    }

    /** Below every ordinary thread: SCHED_IDLE, or SCHED_OTHER/SCHED_BATCH at nice 19. */
    public boolean lowest() {
        return policy == SCHED_IDLE || ((policy == SCHED_OTHER || policy == SCHED_BATCH) && nice == 19);
    }

    /** As ordinary threads run: SCHED_OTHER at nice 0 or better. */
    public boolean ordinary() {
        return policy == SCHED_OTHER && nice <= 0;
    }

    /** "SCHED_IDLE", "SCHED_OTHER nice 19". */
    @Override
    public String toString() {
        String name = policy >= 0 && policy < NAMES.length ? NAMES[policy] : "policy " + policy;
        return policy == SCHED_IDLE ? name : name + " nice " + nice;
    }
}
