package org.cyphon.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The person at the desk's own work, run as an ordinary process of theirs (SCHED_OTHER, the
 * benchmark's nice, in the benchmark's cgroup, never in one of Cyphon's): {@code cyclictest} waking
 * up every interval, as an interactive program does, and at the same time the fixed CPU task
 * {@code xz -9} of the same file. Throughput is the compression's wall time; wake-up latency is
 * cyclictest's histogram over the whole compression, and its list of every wake-up in order.
 */
final class OwnerWorkload {
    /** Latencies past this count as overflows (cyclictest keeps one bucket per microsecond up to it). */
    static final long HISTOGRAM_RANGE_US = 100_000;
    /** Label of the benchmark's JVM in the CPU window; its reaped children are the workload and xdotool. */
    static final String BENCHMARK = "benchmark";

    /**
     * What one run measured; {@code label} names it (e.g. "d-2", also in its files' names). CPU
     * figures are in cores over the CPU window (1.0 = one core throughout).
     */
    record Result(
            String label,
            long xzWallNanos,
            double xzCpuSeconds,
            double cyclictestCpuSeconds,
            OwnerWakeups wakeups,
            OwnerWakeupSeries series,
            OwnerCpuWindow.Usage cpu,
            String loadBefore,
            String loadAfter,
            String schedulingSeen,
            RunDelay runDelay) {
        double xzCores() {
            return xzCpuSeconds / (cpu.wallNanos() / 1e9);
        }

        double cyclictestCores() {
            return cyclictestCpuSeconds / (cpu.wallNanos() / 1e9);
        }

        /** The benchmark JVM and the typist's xdotool runs: its label minus the workload it reaped. */
        double benchmarkCores() {
            return Math.max(0, cpu.of(BENCHMARK) - xzCores() - cyclictestCores());
        }

        double xzShareOfOneCore() {
            return xzCpuSeconds / (xzWallNanos / 1e9);
        }
    }

    /**
     * The owner's run-queue delay: nanoseconds the owner's threads spent runnable but waiting for a
     * CPU while xz ran, from the kernel's schedstat ({@link ThreadSchedstats}). Unlike xz's wall
     * time, which swings by 30% between identical runs on this VM, this is what the background cost
     * the owner, charged thread by thread.
     *
     * <p>The figure is xz's (with its shell's): the owner's CPU work, which waits only when something
     * else holds its CPU. cyclictest's is reported beside it but is not the figure: it wakes a
     * thousand times a second, and on this VM each wake-up of an idle CPU is charged some 15 µs of
     * waiting (the vCPU's halt exit), over 1% of the wall time with nothing else running — less
     * when background work keeps the CPUs awake.
     */
    record RunDelay(long xzWaitNanos, long cyclictestWaitNanos, long wallNanos) {
        /** xz's waiting as a percentage of the workload's wall time: the owner's run-queue delay. */
        double percent() {
            return xzPercent();
        }

        double xzPercent() {
            return percentOf(xzWaitNanos);
        }

        double cyclictestPercent() {
            return percentOf(cyclictestWaitNanos);
        }

        private double percentOf(long nanos) {
            return wallNanos <= 0 ? 0 : 100.0 * nanos / wallNanos;
        }
    }

    /** How often the owner's threads' schedstat is read: often enough that xz's exit loses little. */
    static final Duration SCHEDSTAT_EVERY = Duration.ofMillis(100);

    // dash prints "0m2.930000s 0m0.100000s", bash "0m2.930s 0m0.100s": children's user and system time.
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s\\s*$");

    private final Path dir;
    private final Path input;
    private final long intervalUs;

    OwnerWorkload(Path dir, Path input, long intervalUs) {
        this.dir = dir;
        this.input = input;
        this.intervalUs = intervalUs;
    }

    /**
     * One run. {@code background}: the processes running beside the owner, by label, for the CPU
     * window (the benchmark's own JVM is added here).
     */
    Result run(String label, Map<String, List<Long>> background) throws IOException, InterruptedException {
        Path hist = dir.resolve("cyclictest-" + label + ".hist");
        Map<String, List<Long>> groups = new LinkedHashMap<>(background);
        groups.put(BENCHMARK, List.of(ProcessHandle.current().pid()));
        String loadBefore = MachineLoad.now();
        OwnerCpuWindow window = OwnerCpuWindow.start(groups);

        // --default-system: leave /dev/cpu_dma_latency alone, as an owner's programs do (and other
        // users of this machine keep their power management). No -p: SCHED_OTHER, like the owner's apps.
        // -v: every wake-up in order as well, to split (d) by what the jobs were doing (OwnerWakeupSeries).
        Path samples = dir.resolve("cyclictest-" + label + ".log");
        long cyclictestStart = System.nanoTime();
        Process cyclictest = new ProcessBuilder(
                        "cyclictest",
                        "-q",
                        "-m",
                        "--default-system",
                        "-i",
                        Long.toString(intervalUs),
                        "-h",
                        Long.toString(HISTOGRAM_RANGE_US),
                        "--histfile=" + hist,
                        "-v")
                .redirectErrorStream(true)
                .redirectOutput(samples.toFile())
                .start();
        Thread.sleep(200); // its measuring thread is up and has locked its memory before the work starts
        String scheduling = OwnerScheduling.of(cyclictest.pid());

        // The owner's threads: cyclictest's, the shell's and xz's (the shell's child, found at each poll).
        AtomicLong shell = new AtomicLong(-1);
        ThreadSchedstats owner = ThreadSchedstats.start(
                () -> {
                    List<Long> pids = new ArrayList<>(List.of(cyclictest.pid()));
                    long sh = shell.get();
                    if (sh > 0) {
                        pids.add(sh);
                        pids.addAll(ThreadSchedstats.childrenOf(sh));
                    }
                    return pids;
                },
                SCHEDSTAT_EVERY);
        long t0 = System.nanoTime();
        Process xz = new ProcessBuilder("sh", "-c", "xz -9 -T1 -c \"$0\" >/dev/null && times", input.toString())
                .redirectErrorStream(true)
                .start();
        shell.set(xz.pid());
        String xzOut = new String(xz.getInputStream().readAllBytes(), UTF_8);
        int xzExit = xz.waitFor();
        long xzWall = System.nanoTime() - t0;
        ThreadSchedstats.Window owned = owner.stop();
        long cyclictestWait = owned.threads().stream()
                .filter(a -> a.pid() == cyclictest.pid())
                .mapToLong(ThreadSchedstats.Account::waitNanos)
                .sum();
        RunDelay delay = new RunDelay(owned.waitNanos() - cyclictestWait, cyclictestWait, xzWall);

        double cyclictestCpu = cpuSeconds(cyclictest.pid());
        cyclictest.destroy(); // SIGTERM: cyclictest writes its histogram and exits
        if (!cyclictest.waitFor(30, TimeUnit.SECONDS)) {
            cyclictest.destroyForcibly();
            throw new IOException("cyclictest did not exit within 30 s of SIGTERM");
        }
        OwnerCpuWindow.Usage cpu = window.stop();
        String loadAfter = MachineLoad.now();

        Matcher m = TIMES.matcher(xzOut.strip());
        if (xzExit != 0 || !m.find()) throw new IOException("xz -9 failed (exit " + xzExit + "): " + xzOut.strip());
        double xzCpu = Long.parseLong(m.group(1)) * 60
                + Double.parseDouble(m.group(2))
                + Long.parseLong(m.group(3)) * 60
                + Double.parseDouble(m.group(4));
        return new Result(
                label,
                xzWall,
                xzCpu,
                cyclictestCpu,
                OwnerWakeups.parse(hist, HISTOGRAM_RANGE_US),
                OwnerWakeupSeries.read(samples, cyclictestStart, intervalUs),
                cpu,
                loadBefore,
                loadAfter,
                scheduling,
                delay);
    }

    private static double cpuSeconds(long pid) {
        try {
            ProcessMeter m = new ProcessMeter(pid);
            return m.sample().cpuTicks() / (double) m.ticksPerSecond();
        } catch (IOException | RuntimeException e) {
            return 0; // it already exited: the histogram will say why
        }
    }
}
