package org.cyphon.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cyphon.bench.BenchOptions.Option;

/**
 * {@code bench/run agent-idle}: what the agent costs the person at the desk when there is no
 * work — resident memory and CPU of the agent process, read from /proc as {@code top} shows them,
 * with the agent started exactly as {@code ./cyphon agent} starts it, heartbeating a real
 * coordinator and waiting in its long poll.
 */
public final class AgentIdleBenchmark {
    static final double TARGET_RSS_MB = 64;
    static final double TARGET_CPU_PERCENT = 0.2;

    private static final List<Option> OPTIONS = List.of(
            new Option(
                    "warmup",
                    "10s",
                    "time after the agent joined before sampling starts (JIT, class loading, first beats)"),
            new Option("duration", "60s", "how long to sample"),
            new Option("interval", "1s", "time between samples"),
            new Option("keep", "false", "keep the scratch directory (logs) after a successful run"));

    private AgentIdleBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parseOrExit(
                "agent-idle",
                "The agent's RSS and CPU while idle (no jobs), next to a real coordinator.",
                OPTIONS,
                args);
        System.exit(run(o));
    }

    private static int run(BenchOptions o) throws Exception {
        Duration warmup = o.duration("warmup");
        Duration duration = o.duration("duration");
        Duration interval = o.duration("interval");
        try (ScratchDir dir = ScratchDir.create("agent-idle", o.flag("keep"))) {
            try {
                CyphonLauncher launcher = CyphonLauncher.fromSystemProperty();
                String loadBefore = MachineLoad.now();
                try (CoordinatorProcess c = CoordinatorProcess.start(
                                launcher, dir.resolve("coordinator"), dir.resolve("coordinator.log"), List.of());
                        AgentProcess agent = AgentProcess.start(
                                launcher, c, new AgentProcess.Settings("idle", null, null, null, null), dir.path())) {
                    Thread.sleep(warmup.toMillis());
                    ProcessMeter meter = new ProcessMeter(agent.pid());
                    ProcessMeter.Sample first = meter.sample(), previous = first, last = first;
                    CpuAccount machine = CpuAccount.start(Map.of("agent", agent.pid()));
                    long maxRss = first.rssKb(), sumRss = first.rssKb();
                    int samples = 1;
                    double maxIntervalCpu = 0;
                    long end = first.nanoTime() + duration.toNanos();
                    while (System.nanoTime() < end) {
                        Thread.sleep(interval.toMillis());
                        last = meter.sample();
                        maxRss = Math.max(maxRss, last.rssKb());
                        sumRss += last.rssKb();
                        samples++;
                        maxIntervalCpu = Math.max(maxIntervalCpu, meter.cpuPercentOfOneCore(previous, last));
                        previous = last;
                    }
                    String loadAfter = MachineLoad.now();
                    CpuAccount.Usage machineUse = machine.stop();
                    double cpu = meter.cpuPercentOfOneCore(first, last);
                    double maxRssMb = maxRss / 1024.0;
                    boolean rssMet = maxRssMb <= TARGET_RSS_MB, cpuMet = cpu <= TARGET_CPU_PERCENT;

                    ResultTable t = new ResultTable("agent-idle: the agent's footprint with no work");
                    t.section("setup");
                    t.row(
                            "agent",
                            "java " + String.join(" ", agent.jvmFlags())
                                    + " -jar cyphon.jar agent (flags read from ./cyphon)");
                    t.row(
                            "agent config",
                            "defaults (cpus and memory of this machine, policy preset desktop: its sensors run), sandbox "
                                    + agent.sandbox() + ", " + agent.timing());
                    t.row("coordinator", c.how() + ", default configuration");
                    t.row(
                            "sampling",
                            Figures.count(samples) + " samples of /proc/" + agent.pid() + "/{status,stat} every "
                                    + interval.toMillis() + " ms for "
                                    + Figures.seconds(last.nanoTime() - first.nanoTime()) + ", after "
                                    + warmup.toSeconds() + " s warm-up");
                    t.row("load before", loadBefore);
                    t.section("results");
                    t.row(
                            "RSS",
                            "max " + Figures.megabytes(maxRss) + ", avg " + Figures.megabytes(sumRss / samples)
                                    + ", peak since start (VmHWM) " + Figures.megabytes(last.peakRssKb())
                                    + "; target <= " + (int) TARGET_RSS_MB + " MB: "
                                    + (rssMet ? "met" : "MISSED"));
                    t.row(
                            "CPU",
                            Figures.percent(cpu) + " of one core on average ("
                                    + Figures.decimal(
                                            (last.cpuTicks() - first.cpuTicks()) / (double) meter.ticksPerSecond(), 2)
                                    + " CPU-s), busiest " + interval.toMillis() + " ms: "
                                    + Figures.percent(maxIntervalCpu) + "; target <= " + TARGET_CPU_PERCENT + "%: "
                                    + (cpuMet ? "met" : "MISSED"));
                    t.row("threads", Integer.toString(last.threads()));
                    t.row(
                            "other processes' CPU",
                            Figures.decimal(machineUse.others(), 2) + " cores while sampling (machine busy: "
                                    + CpuAccount.cores(machineUse.machineCores()) + "; includes the idle coordinator)");
                    t.row("load after", loadAfter);
                    if (dir.kept()) t.row("scratch dir", dir.path().toString());
                    String summary = "agent-idle: " + Figures.megabytes(maxRss) + " max RSS, " + Figures.percent(cpu)
                            + " of one core ("
                            + duration.toSeconds() + " s idle after " + warmup.toSeconds() + " s warm-up; targets <= "
                            + (int) TARGET_RSS_MB
                            + " MB, <= " + TARGET_CPU_PERCENT + "%: " + (rssMet && cpuMet ? "met" : "MISSED") + ")";
                    t.print(System.out, summary);
                    return 0;
                }
            } catch (Exception e) {
                dir.keep();
                RunFailure.report("agent-idle", e, dir.path());
                return 1;
            }
        }
    }
}
