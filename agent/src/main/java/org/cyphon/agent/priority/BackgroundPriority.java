package org.cyphon.agent.priority;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the agent's periodic, non-urgent work runs: below every ordinary thread of the machine,
 * so it never makes the owner's programs wait for a CPU. The owner-input → freeze path never runs
 * on a demoted thread.
 *
 * <ul>
 *   <li>{@link #IDLE}: SCHED_IDLE, the policy Cyphon's jobs run at. The kernel runs such a thread
 *       only when nothing else wants the CPU and preempts it the moment an ordinary thread wakes;
 *       beside a busy owner it gets about 0.3% of a CPU per competing thread. For work whose delay
 *       costs nothing: sampling the owner's load, sessions, power.
 *   <li>{@link #NICE_19}: the lowest nice. A nice-19 thread waking does not preempt the owner's
 *       running programs and is preempted by theirs, yet beside a busy owner still gets about 1.5%
 *       of a CPU per competing thread, five times SCHED_IDLE's share. For work that has a deadline:
 *       the heartbeat that renews the jobs' leases, and the coordinator traffic it rides on.
 * </ul>
 *
 * <p>How: Java has no call for a thread's policy or nice (and the foreign-function API is a preview
 * in Java 21), so the thread finds its own id through {@code /proc/thread-self} and runs
 * util-linux's {@code chrt --idle -p 0 TID} or {@code renice -n 19 -p TID} once, at its start.
 * Lowering one's own threads needs no privilege. Raising them back does (SCHED_IDLE to SCHED_OTHER,
 * or a lower nice, needs CAP_SYS_NICE or an RLIMIT_NICE allowance), so a demoted thread stays
 * demoted.
 *
 * <p>Two consequences to keep in mind. A thread a demoted thread creates is born demoted (Linux
 * copies the policy and nice to the new thread), so a demoted thread must never be the one that
 * creates a thread the freeze path runs on, nor the first to use a lazily started pool of the
 * JDK's. And a demoted thread that holds a lock the freeze path also takes can keep it waiting while
 * the owner's programs use every CPU (priority inversion): demoted work hands its results to an
 * ordinary thread instead of taking the desk policy's locks itself.
 *
 * <p>And one limit: the kernel compares priorities between threads of one CPU cgroup. An agent run
 * in a cgroup of its own (a systemd service: {@code system.slice/cyphon-agent.service}) competes
 * with the owner's cgroup ({@code user.slice}) at its group's weight, whatever its threads'
 * priorities; there, demoted threads only yield to the agent's own ordinary ones.
 */
public enum BackgroundPriority {
    IDLE("chrt --idle -p 0"),
    NICE_19("renice -n 19 -p");

    private static final Logger log = LoggerFactory.getLogger(BackgroundPriority.class);
    private static final AtomicBoolean warned = new AtomicBoolean();
    private static final long COMMAND_TIMEOUT_SECONDS = 5;

    /** The command that demotes a thread, its id to be appended. */
    private final String command;

    BackgroundPriority(String command) {
        this.command = command;
    }

    /**
     * Demotes the calling thread. Never throws: a thread that cannot be demoted runs on as it was,
     * and the first failure of the process is logged.
     *
     * @return the thread's scheduling afterwards, as the kernel reports it; null when unreadable
     */
    public ThreadScheduling demoteCurrentThread() {
        long tid;
        try {
            tid = ThreadScheduling.currentTid();
        } catch (IOException | RuntimeException e) {
            warnOnce("cannot find the thread's id in /proc/thread-self (" + e.getMessage() + ")");
            return null;
        }
        return demote(tid);
    }

    /**
     * Demotes thread {@code tid} of this process; see {@link #demoteCurrentThread()}. {@link #IDLE}
     * falls back to nice 19 where SCHED_IDLE cannot be had.
     */
    public ThreadScheduling demote(long tid) {
        String id = Long.toString(tid);
        String said = run(command, id);
        ThreadScheduling now = read(tid);
        if (reached(now)) return now;
        if (this == IDLE) {
            String renice = run(NICE_19.command, id);
            now = read(tid);
            said = said + "; renice said " + renice;
            if (now != null && now.lowest()) return now;
        }
        warnOnce("thread " + tid + " stays at " + now + " (wanted " + this + "): " + command + " said " + said);
        return now;
    }

    private boolean reached(ThreadScheduling s) {
        if (s == null) return false;
        return this == IDLE ? s.policy() == ThreadScheduling.SCHED_IDLE : s.lowest();
    }

    private static ThreadScheduling read(long tid) {
        try {
            return ThreadScheduling.of(tid);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "ok", or what went wrong, for the log line. */
    private static String run(String command, String tid) {
        List<String> full = new java.util.ArrayList<>(List.of(command.split(" ")));
        full.add(tid);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8).strip();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "no answer within " + COMMAND_TIMEOUT_SECONDS + " s";
            }
            return p.exitValue() == 0 ? "ok" : "exit " + p.exitValue() + (out.isEmpty() ? "" : ": " + out);
        } catch (IOException e) {
            return "cannot run " + full.get(0) + " (" + e.getMessage() + ")";
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
