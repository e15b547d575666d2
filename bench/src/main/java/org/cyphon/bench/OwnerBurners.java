package org.cyphon.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cases (b), (c) and (f): plain CPU burners beside the owner, outside Cyphon, one per core, as
 * anyone would run a background job without it: the same shell loop the agent's jobs run in (d),
 * here as the benchmark's children at a given priority (nice 0 = the owner's own, nice 19, or
 * SCHED_IDLE: the lowest the kernel has, which Cyphon's jobs get through their cgroups' cpu.idle).
 */
final class OwnerBurners implements AutoCloseable {
    /** How the burners are started: the command put before the loop, and how the tables say it. */
    record Priority(List<String> prefix, String shown) {
        static Priority nice(int n) {
            return new Priority(List.of("nice", "-n", Integer.toString(n)), "at nice " + n);
        }

        /** SCHED_IDLE (chrt --idle 0): the floor any background work can reach. */
        static final Priority IDLE = new Priority(List.of("chrt", "--idle", "0"), "at SCHED_IDLE (chrt --idle 0)");
    }

    /** The burner every background case runs: pure CPU, no memory or I/O traffic. */
    static final List<String> LOOP = List.of("sh", "-c", "while :; do :; done");
    /** {@link #LOOP} as one would type it, for the tables. */
    static final String LOOP_SHOWN = "sh -c 'while :; do :; done'";

    private final List<Process> processes;

    private OwnerBurners(List<Process> processes) {
        this.processes = processes;
    }

    static OwnerBurners start(int count, Priority priority) throws IOException {
        List<Process> ps = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                List<String> cmd = new ArrayList<>(priority.prefix());
                cmd.addAll(LOOP);
                ps.add(new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start());
            }
        } catch (IOException e) {
            ps.forEach(Process::destroyForcibly);
            throw e;
        }
        return new OwnerBurners(ps);
    }

    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) p.destroyForcibly();
        for (Process p : processes) p.waitFor(10, TimeUnit.SECONDS);
    }
}
