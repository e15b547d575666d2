package org.cyphon.agent.priority;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one thread of the agent below every ordinary thread of the machine: to SCHED_IDLE, the
 * policy Cyphon's jobs run at, so the agent's periodic, non-urgent work (sampling the owner's load,
 * heartbeats, shipping output) never makes the owner's programs wait for a CPU: the kernel runs an
 * idle thread only when nothing else wants the CPU, and preempts it the moment an owner's thread
 * wakes. The owner-input → freeze path must stay ordinary; it never runs on a demoted thread.
 *
 * <p>How: Java has no call for a thread's policy or nice (and the foreign-function API is a preview
 * in Java 21), so the thread finds its own id through {@code /proc/thread-self} and runs util-linux's
 * {@code chrt --idle -p 0 TID} once, at its start; where that fails, {@code renice -n 19 -p TID}.
 * Lowering one's own threads needs no privilege. Raising them back does (SCHED_IDLE to SCHED_OTHER
 * needs CAP_SYS_NICE or an RLIMIT_NICE allowance), so a demoted thread stays demoted.
 *
 * <p>Two consequences to keep in mind. A thread a demoted thread creates is born demoted (Linux
 * copies the policy and nice to the new thread), so a demoted thread must never be the one that
 * creates a thread the freeze path runs on, nor the first to use a lazily started pool of the
 * JDK's (see {@code SamplingThreads}). And a demoted thread that holds a lock the freeze path also
 * takes can keep it waiting while the owner's programs use every CPU (priority inversion): demoted
 * work hands its results to ordinary threads instead of taking the desk policy's locks itself.
 */
public final class IdlePriority {
    private static final Logger log = LoggerFactory.getLogger(IdlePriority.class);
    private static final AtomicBoolean warned = new AtomicBoolean();
    private static final long COMMAND_TIMEOUT_SECONDS = 5;

    private IdlePriority() {}

    /**
     * Demotes the calling thread. Never throws: a thread that cannot be demoted runs on as it was,
     * and the first failure of the process is logged.
     *
     * @return the thread's scheduling afterwards, as the kernel reports it; null when unreadable
     */
    public static ThreadScheduling demoteCurrentThread() {
        long tid;
        try {
            tid = ThreadScheduling.currentTid();
        } catch (IOException | RuntimeException e) {
            warnOnce("cannot find the thread's id in /proc/thread-self (" + e.getMessage() + ")");
            return null;
        }
        return demote(tid);
    }

    /** Demotes thread {@code tid} of this process; see {@link #demoteCurrentThread()}. */
    public static ThreadScheduling demote(long tid) {
        String id = Long.toString(tid);
        String chrt = run(List.of("chrt", "--idle", "-p", "0", id));
        ThreadScheduling now = read(tid);
        if (now != null && now.lowest()) return now;
        String renice = run(List.of("renice", "-n", "19", "-p", id));
        now = read(tid);
        if (now == null || !now.lowest()) {
            warnOnce("thread " + tid + " stays at " + now + ": chrt --idle said " + chrt + "; renice said " + renice);
        }
        return now;
    }

    private static ThreadScheduling read(long tid) {
        try {
            return ThreadScheduling.of(tid);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "ok", or what went wrong, for the log line. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8).strip();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "no answer within " + COMMAND_TIMEOUT_SECONDS + " s";
            }
            return p.exitValue() == 0 ? "ok" : "exit " + p.exitValue() + (out.isEmpty() ? "" : ": " + out);
        } catch (IOException e) {
            return "cannot run " + command.get(0) + " (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void warnOnce(String what) {
        if (warned.compareAndSet(false, true)) log.warn("agent: background threads run at ordinary priority: {}", what);
        else log.debug("agent: {}", what);
    }
}
