package org.cyphon.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's memory and CPU time from {@code /proc}, as {@code top} and {@code ps} would:
 * no agent cooperation, no JMX — the figures an owner would see on their own desktop.
 */
final class ProcessMeter {
    /**
     * One reading. {@code cpuTicks} = utime + stime of all its threads; {@code childrenTicks} =
     * cutime + cstime, the CPU of its children that have exited and been reaped (for the agent: its
     * jobs and their launch wrappers, which are reaped up the chain to it). In clock ticks.
     */
    record Sample(long nanoTime, long rssKb, long peakRssKb, int threads, long cpuTicks, long childrenTicks) {}

    private final long pid;
    private final long ticksPerSecond;

    ProcessMeter(long pid) {
        this.pid = pid;
        this.ticksPerSecond = clockTicksPerSecond();
    }

    long ticksPerSecond() {
        return ticksPerSecond;
    }

    Sample sample() throws IOException {
        long now = System.nanoTime();
        long rss = 0, hwm = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) rss = kilobytes(line);
            else if (line.startsWith("VmHWM:")) hwm = kilobytes(line);
            else if (line.startsWith("Threads:"))
                threads = Integer.parseInt(line.substring(8).trim());
        }
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long utime = Long.parseLong(f[11]); // field 14 of proc(5); f[0] is field 3
        long stime = Long.parseLong(f[12]); // field 15
        long children = Long.parseLong(f[13]) + Long.parseLong(f[14]); // fields 16, 17: cutime, cstime
        return new Sample(now, rss, hwm, threads, utime + stime, children);
    }

    /** CPU the process itself used between two samples, as a percentage of one core. */
    double cpuPercentOfOneCore(Sample from, Sample to) {
        return percent(to.cpuTicks() - from.cpuTicks(), from, to);
    }

    /** CPU of its children reaped between two samples, as a percentage of one core. */
    double childrenPercentOfOneCore(Sample from, Sample to) {
        return percent(to.childrenTicks() - from.childrenTicks(), from, to);
    }

    private double percent(long ticks, Sample from, Sample to) {
        double wallSeconds = (to.nanoTime() - from.nanoTime()) / 1e9;
        return wallSeconds <= 0 ? 0 : 100 * (ticks / (double) ticksPerSecond) / wallSeconds;
    }

    private static long kilobytes(String statusLine) {
        // "VmRSS:	   61234 kB"
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    /** USER_HZ from getconf; 100 (the value on every mainstream Linux build) if that fails. */
    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            // fall through to the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
