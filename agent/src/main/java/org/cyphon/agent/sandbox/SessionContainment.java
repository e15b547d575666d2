package org.cyphon.agent.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a job together without cgroups (nice-only): the job's tree is its session (the launch
 * wrapper runs under {@code setsid}, so the session id is the main pid) plus every descendant of
 * the main process ever seen, sampled every quarter second.
 *
 * <p>Limits, stated plainly: a process that both leaves the session ({@code setsid}) and stops
 * being a descendant (its parent exits) between two samples is not seen, and survives a kill.
 * CPU time is the sum of utime+stime+cutime+cstime over the live tree at each sample, kept as the
 * maximum seen: a lower bound that misses the last sampling interval and processes reaped by
 * someone outside the tree (orphans re-parented to init).
 */
final class SessionContainment implements Containment {
    private static final Logger log = LoggerFactory.getLogger(SessionContainment.class);
    private static final long KILL_WAIT_MS = 10_000;
    private static final long FREEZE_WAIT_MS = 2_000;

    private final Path killTool;
    /** Every process of the tree seen so far; a handle knows its start time, so pid reuse is harmless. */
    private final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();

    private volatile ProcessHandle main;
    private volatile double cpuSeconds;

    SessionContainment(Path killTool) {
        this.killTool = killTool;
    }

    @Override
    public List<Path> joinFiles() {
        return List.of();
    }

    @Override
    public void started(ProcessHandle main) {
        this.main = main;
        seen.put(main.pid(), main);
        sample();
    }

    @Override
    public boolean needsSampling() {
        return true;
    }

    @Override
    public synchronized void sample() {
        long ticks = 0;
        for (ProcStat p : members().values()) ticks += p.cpuTicks();
        cpuSeconds = Math.max(cpuSeconds, ticks / ProcStat.TICKS_PER_SECOND);
    }

    /** Without cgroups there is nothing to hold a lingering job to beyond its idle priority. */
    @Override
    public void linger(LingerLimits limits) {}

    @Override
    public String lingerNote() {
        return "no cgroups: memory and I/O not capped";
    }

    @Override
    public void freeze() throws IOException {
        // Stop what we see, then look again: a process may have forked before its SIGSTOP landed.
        // (The kernel aborts a fork once a group-wide signal such as SIGSTOP is pending, so the
        // rounds end.) Then wait for the stops to take effect: delivery is asynchronous, and a
        // SCHED_IDLE process on a busy machine may take a while to run and notice it.
        Set<Long> stopped = new HashSet<>();
        for (int round = 0; round < 20; round++) {
            Set<Long> fresh = new HashSet<>(members().keySet());
            fresh.removeAll(stopped);
            if (fresh.isEmpty()) break;
            signal("STOP", fresh);
            stopped.addAll(fresh);
        }
        long deadline = System.currentTimeMillis() + FREEZE_WAIT_MS;
        while (members().values().stream().anyMatch(p -> p.state() != 'T' && p.state() != 't')) {
            if (System.currentTimeMillis() > deadline) {
                log.warn("session {}: not every process stopped after {} ms", main.pid(), FREEZE_WAIT_MS);
                return;
            }
            pause();
        }
    }

    @Override
    public void thaw() throws IOException {
        Set<Long> pids = members().keySet();
        if (!pids.isEmpty()) signal("CONT", pids);
    }

    @Override
    public int killAll() throws IOException {
        Set<Long> killed = new HashSet<>();
        long deadline = System.currentTimeMillis() + KILL_WAIT_MS;
        while (true) {
            Map<Long, ProcStat> members = members();
            if (members.isEmpty()) return killed.size();
            if (System.currentTimeMillis() > deadline) {
                throw new IOException(
                        "processes " + members.keySet() + " of session " + main.pid() + " survive SIGKILL");
            }
            for (long pid : members.keySet()) {
                ProcessHandle h = seen.get(pid);
                if (h == null) h = ProcessHandle.of(pid).orElse(null);
                if (h != null) h.destroyForcibly();
                killed.add(pid);
            }
            pause();
        }
    }

    @Override
    public double cpuSeconds() {
        return cpuSeconds;
    }

    @Override
    public long oomKills() {
        return 0;
    }

    @Override
    public void remove() {}

    @Override
    public String describe() {
        return "session " + main.pid();
    }

    /** Live, non-zombie processes of the tree now: the session, the main's descendants, and all seen before. */
    private Map<Long, ProcStat> members() {
        ProcessHandle m = main;
        Map<Long, ProcStat> out = new LinkedHashMap<>();
        if (m.isAlive()) {
            m.descendants().forEach(h -> seen.putIfAbsent(h.pid(), h));
        }
        for (ProcStat p : inSession(m.pid())) {
            // After the main died its pid may be reused by a stranger that became a session leader.
            if (p.pid() == m.pid() && !m.isAlive()) continue;
            out.put(p.pid(), p);
            ProcessHandle.of(p.pid()).ifPresent(h -> seen.putIfAbsent(h.pid(), h));
        }
        List<Long> gone = new ArrayList<>();
        for (ProcessHandle h : seen.values()) {
            if (!h.isAlive()) {
                gone.add(h.pid());
                continue;
            }
            ProcStat.of(h.pid())
                    .filter(p -> !p.isZombie())
                    .ifPresentOrElse(p -> out.put(p.pid(), p), () -> gone.add(h.pid()));
        }
        gone.forEach(seen::remove);
        return out;
    }

    private static List<ProcStat> inSession(long session) {
        List<ProcStat> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(
                Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
            for (Path p : procs) {
                ProcStat.of(Long.parseLong(p.getFileName().toString()))
                        .filter(s -> s.session() == session && !s.isZombie())
                        .ifPresent(out::add);
            }
        } catch (IOException e) {
            log.warn("cannot list /proc: {}", e.getMessage());
        }
        return out;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
        return true;
    }

    /** Sends a signal Java cannot send (STOP, CONT) through kill(1); pids that vanished meanwhile are fine. */
    private void signal(String name, Collection<Long> pids) throws IOException {
        if (killTool == null) throw new IOException("cannot send SIG" + name + ": no kill program found");
        List<String> argv = new ArrayList<>(List.of(killTool.toString(), "-s", name, "--"));
        pids.forEach(p -> argv.add(Long.toString(p)));
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending SIG" + name, e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
