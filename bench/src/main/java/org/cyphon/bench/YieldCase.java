package org.cyphon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.cyphon.core.protocol.JobView;

/**
 * Case (e): the yield latency of a {@code strict} desk — a real coordinator and agent, one job
 * (the stamper) running, and {@link YieldTrials} pressing keys on the owner's display. The agent's
 * sensors keep their defaults ({@code sample_every} included): the figure is what a desk gets out
 * of the box, and the table says which input path the agent used.
 */
final class YieldCase {
    static final String MACHINE = "owner-strict";
    /**
     * Beyond thaw_after_idle, how long a frozen job may wait for its thaw. Long: strict also holds
     * the job frozen while "the owner" (every process outside Cyphon: other people's builds here)
     * uses the CPUs, and that is the policy working, not a broken run.
     */
    static final Duration THAW_TIMEOUT = Duration.ofMinutes(5);

    /** The trials, what was set up and seen (rows for the table), and the CPU over the trials. */
    record Outcome(
            YieldTrials.Result trials,
            Map<String, String> setup,
            Map<String, String> observed,
            OwnerCpuWindow.Usage cpu,
            String loadBefore,
            String loadAfter) {}

    private YieldCase() {}

    static Outcome run(OwnerSettings s, OwnerXvfb display, ScratchDir dir) throws Exception {
        System.err.println("bench/run owner: (e) yield latency under strict...");
        CyphonLauncher launcher = CyphonLauncher.fromSystemProperty();
        Path stamper = YieldStamper.compile(launcher.home(), dir.path());
        Path stampFile = dir.resolve("yield-stamps");
        // Short thresholds so a trial takes seconds: present for 1 s after a press, thawed after
        // thaw_after_idle of idleness. They bound how long the job stays frozen, not how fast it stops.
        String policy = "preset = \"strict\"\nstart_after_idle = \"0s\"\npresent_within = \"1s\"\nthaw_after_idle = \""
                + toml(s.thawAfterIdle()) + "\"\n";
        Map<String, String> setup = new LinkedHashMap<>(), observed = new LinkedHashMap<>();
        try (YieldStamps stamps = YieldStamps.create(stampFile);
                CoordinatorProcess c = CoordinatorProcess.start(
                        launcher, dir.resolve("coordinator-e"), dir.resolve("coordinator-e.log"), List.of());
                OwnerAgent agent = OwnerAgent.start(launcher, c, MACHINE, policy, dir.path());
                OwnerJobStates states = OwnerJobStates.follow(agent.log());
                YieldKeyPress keys = YieldKeyPress.connect(display.socket(), display.cookie())) {
            ApiClient admin = new ApiClient(ApiClient.newHttpClient(), c.url(), c.adminToken());
            long job = JobSubmitter.submit(
                            admin,
                            new JobSubmitter.Template(
                                    "yield-stamper", List.of(stamper.toString(), stampFile.toString()), 0.1, "16M"),
                            1)
                    .ids()
                    .get(0);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (stamps.count() == 0) {
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException(
                            "the stamper job wrote no stamp within 60 s; agent log tail:\n" + agent.tail());
                Thread.sleep(20);
            }

            Map<String, List<Long>> groups = new LinkedHashMap<>();
            groups.put("job", agent.jobPids());
            groups.put("agent", List.of(agent.pid()));
            groups.put("coordinator", List.of(c.pid().getAsLong()));
            groups.put("Xvfb", List.of(display.pid()));
            groups.put("benchmark", List.of(ProcessHandle.current().pid()));
            String loadBefore = MachineLoad.now();
            OwnerCpuWindow window = OwnerCpuWindow.start(groups);
            YieldTrials.Result trials = new YieldTrials(
                            stamps,
                            keys,
                            states,
                            job,
                            new YieldTrials.Settings(
                                    s.trials(), s.yieldTimeout(), THAW_TIMEOUT.plus(s.thawAfterIdle()), s.seed()))
                    .run();
            OwnerCpuWindow.Usage cpu = window.stop();
            String loadAfter = MachineLoad.now();

            setup.put(
                    "agent",
                    "cyphon agent (./cyphon's JVM flags), sandbox " + agent.sandbox() + ", [policy] " + agent.policy()
                            + ", [sensors] default");
            setup.put("agent sensors", agent.sensors());
            setup.put("X11 input path", agent.x11InputPath(display.number()));
            SortedSet<Integer> others = agent.otherDisplaysSeen(display.number());
            if (!others.isEmpty()) {
                observed.put(
                        "other X displays",
                        others.stream().map(n -> ":" + n).collect(Collectors.joining(" "))
                                + ": someone else's (tests), which the agent watched too: input there counted as the owner's");
            }
            setup.put(
                    "job",
                    "yield-stamper (bench/src/main/c, built with gcc): CLOCK_MONOTONIC into a mapped ring every 1 ms; 0.1 cpu, 16M");
            setup.put(
                    "key press",
                    "XTEST FakeInput key press+release sent by the benchmark's JVM on :" + display.number()
                            + ", the time read just before the write");
            observed.put("freeze reasons", freezeReasons(states, job));
            admin.post("/jobs/" + job + "/cancel", Map.of(), JobView.class);
            return new Outcome(trials, setup, observed, cpu, loadBefore, loadAfter);
        }
    }

    /** "2s", or "1500ms" when it is not whole seconds: exact, and as a person would write it in agent.toml. */
    private static String toml(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The reasons the agent gave for freezing the job, most frequent first, with counts. */
    private static String freezeReasons(OwnerJobStates states, long job) {
        Map<String, Integer> count = new TreeMap<>();
        for (OwnerJobStates.Change c : states.changes()) {
            // "input 0s ago" and "input 1s ago" are one reason: numbers become N (display numbers after "::" stay).
            if (c.job() == job && c.state().equals("frozen"))
                count.merge(c.why().replaceAll("(?<![\\w:.])\\d+(\\.\\d+)?", "N"), 1, Integer::sum);
        }
        return count.isEmpty()
                ? "none logged"
                : count.entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .map(e -> e.getValue() + " x \"" + e.getKey() + "\"")
                        .collect(Collectors.joining(" | "));
    }
}
