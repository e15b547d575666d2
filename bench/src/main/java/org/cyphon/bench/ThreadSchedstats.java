package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The scheduler's own account of every thread of a changing set of processes, from
 * {@code /proc/PID/task/TID/schedstat}: time on a CPU, time spent runnable but waiting in a run
 * queue (the "run delay": what other work cost this thread), and timeslices (how often it was put
 * on a CPU: its wake-ups, near enough, for a thread that mostly sleeps).
 *
 * <p>Read by polling, every {@code every}, keeping the last reading of each thread: a thread that
 * exits takes its schedstat with it, so only the time since the last poll of its life is lost (for
 * the owner's xz, at most one poll interval of a 30 s run). Wall times on this VM swing by 30%
 * between identical runs; the run delay of the owner's threads does not, which is why the owner
 * benchmark reports it (a thread's wait is charged by the kernel whatever the host does).
 *
 * <p>Counts from {@link #start}: threads alive then count from their reading at that moment,
 * threads born later from zero.
 */
final class ThreadSchedstats implements AutoCloseable {
    /** One thread's account over the window: nanoseconds on a CPU and waiting to run, and timeslices. */
    record Account(long pid, long tid, String name, long onCpuNanos, long waitNanos, long slices) {}

    /** Every thread of some processes over the window, and the window's length. */
    record Window(List<Account> threads, long wallNanos) {
        long waitNanos() {
            return threads.stream().mapToLong(Account::waitNanos).sum();
        }

        long onCpuNanos() {
            return threads.stream().mapToLong(Account::onCpuNanos).sum();
        }

        long slices() {
            return threads.stream().mapToLong(Account::slices).sum();
        }

        /** Run-queue delay as a percentage of {@code wallNanos} (summed over threads). */
        double waitPercentOf(long wallNanos) {
            return wallNanos <= 0 ? 0 : 100.0 * waitNanos() / wallNanos;
        }

        /**
         * Threads summed by name (a virtual-thread carrier pool's "ForkJoinPool-1-worker-1", "-2"...
         * as one), most timeslices first.
         */
        List<Account> byName() {
            Map<String, long[]> sums = new LinkedHashMap<>();
            for (Account a : threads) {
                long[] s = sums.computeIfAbsent(poolName(a.name()), k -> new long[4]);
                s[0] += a.onCpuNanos();
                s[1] += a.waitNanos();
                s[2] += a.slices();
                s[3]++;
            }
            List<Account> out = new ArrayList<>();
            sums.forEach((name, s) -> out.add(new Account(0, s[3], name, s[0], s[1], s[2])));
            out.sort(Comparator.comparingLong(Account::slices).reversed());
            return out;
        }
    }

    /** One reading of a thread: [on-CPU ns, wait ns, timeslices]. */
    private record Reading(long pid, String name, long[] values) {}

    private final Supplier<List<Long>> pids;
    private final long everyNanos;
    private final Map<Long, long[]> base = new HashMap<>();
    private final Map<Long, Reading> last = new TreeMap<>();
    private final long startNanos;
    private final Thread poller;
    private volatile boolean stopped;
    private Window result;

    private ThreadSchedstats(Supplier<List<Long>> pids, Duration every) {
        this.pids = pids;
        this.everyNanos = every.toNanos();
        this.startNanos = System.nanoTime();
        poll();
        last.forEach((tid, r) -> base.put(tid, r.values().clone()));
        this.poller = Thread.ofPlatform().daemon().name("schedstat-poller").start(this::loop);
    }

    /**
     * Starts counting now.
     *
     * @param pids the processes to follow, asked again at every poll (a process started later, or
     *     a shell's child, joins when the supplier first names it)
     */
    static ThreadSchedstats start(Supplier<List<Long>> pids, Duration every) {
        return new ThreadSchedstats(pids, every);
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(Duration.ofNanos(everyNanos));
            } catch (InterruptedException e) {
                return;
            }
            poll();
        }
    }

    private synchronized void poll() {
        for (long pid : pids.get()) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path t : tasks) {
                    long tid = Long.parseLong(t.getFileName().toString());
                    long[] v = read(t.resolve("schedstat"));
                    if (v == null) continue; // exited between the listing and the read
                    Reading before = last.get(tid);
                    String name = before != null ? before.name() : comm(t);
                    last.put(tid, new Reading(pid, name, v));
                }
            } catch (IOException | RuntimeException e) {
                // the process is gone: its threads keep their last reading
            }
        }
    }

    /** A last poll, then every thread's account since the start; the same window when called again. */
    Window stop() {
        stopped = true;
        poller.interrupt();
        try {
            poller.join(5000); // outside the lock: the poller takes it to poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (result != null) return result;
            poll();
            long wall = System.nanoTime() - startNanos;
            List<Account> out = new ArrayList<>();
            last.forEach((tid, r) -> {
                long[] from = base.getOrDefault(tid, new long[3]);
                long[] to = r.values();
                out.add(new Account(r.pid(), tid, r.name(), to[0] - from[0], to[1] - from[1], to[2] - from[2]));
            });
            result = new Window(out, wall);
            return result;
        }
    }

    @Override
    public void close() {
        var unused = stop();
    }

    /** "/proc/PID/task/TID/schedstat": "on-CPU-ns wait-ns timeslices"; null when the thread is gone. */
    static long[] read(Path schedstat) {
        try {
            String[] f = Files.readString(schedstat).trim().split("\\s+");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** "ForkJoinPool-1-worker-3" -> "ForkJoinPool-1-worker-*", "C1 CompilerThre" stays. */
    static String poolName(String name) {
        return name.replaceFirst("-\\d+$", "-*").replaceFirst("#\\d+$", "#*");
    }

    /** The children of {@code pid} (its direct ones), from /proc/PID/task/PID/children; empty when gone. */
    static List<Long> childrenOf(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children"))
                    .trim();
            if (s.isEmpty()) return List.of();
            List<Long> out = new ArrayList<>();
            for (String p : s.split("\\s+")) out.add(Long.parseLong(p));
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
