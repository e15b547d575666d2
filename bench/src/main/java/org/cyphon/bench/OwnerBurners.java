package org.cyphon.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cases (b) and (c): plain CPU burners beside the owner, outside Cyphon, one per core, as anyone
 * would run a background job without it: the same shell loop the agent's jobs run in (d), here as
 * the benchmark's children at a given nice (0 = the owner's own priority, 19 = the lowest).
 */
final class OwnerBurners implements AutoCloseable {
    /** The burner every background case runs: pure CPU, no memory or I/O traffic. */
    static final List<String> LOOP = List.of("sh", "-c", "while :; do :; done");
    /** {@link #LOOP} as one would type it, for the tables. */
    static final String LOOP_SHOWN = "sh -c 'while :; do :; done'";

    private final List<Process> processes;

    private OwnerBurners(List<Process> processes) {
        this.processes = processes;
    }

    static OwnerBurners start(int count, int nice) throws IOException {
        List<Process> ps = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                List<String> cmd = new ArrayList<>(List.of("nice", "-n", Integer.toString(nice)));
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
