package org.cyphon.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.cyphon.core.protocol.JobView;

/**
 * Case (d): the owner's workload on a desk running Cyphon — a real coordinator and a real agent
 * with the {@code desktop} policy, one CPU-burning job per core submitted through the API. Once
 * the jobs run, the owner types (the agent sees it on the display it found by itself) and the jobs
 * linger beside them; only then does the owner's workload run. What the agent did with the jobs
 * meanwhile (lingered, froze when the owner's demand contended, ...) is part of the result: the
 * figures mean nothing without it.
 */
final class OwnerDeskCase {
    private OwnerDeskCase() {}

    static OwnerCaseResult empty() {
        return new OwnerCaseResult(
                "d",
                "the owner's workload beside Cyphon's jobs (desktop policy, owner active)",
                Runtime.getRuntime().availableProcessors() + " Cyphon jobs burning CPU, one per core");
    }

    /** One round: a fresh coordinator, agent and jobs (a round starts with the jobs lingering, never frozen), added to {@code into}. */
    static void run(
            OwnerCaseResult into, int round, OwnerSettings s, OwnerWorkload workload, OwnerXvfb display, ScratchDir dir)
            throws Exception {
        System.err.println(
                "bench/run owner: (d) Cyphon desktop policy, owner active" + OwnerBenchmark.roundOf(round, s) + "...");
        int cores = Runtime.getRuntime().availableProcessors();
        // start_after_idle = 0s: the display has just been in use (cases a-c), and the desktop preset
        // would hold new work back for 5 minutes of idleness; here the jobs must already be running
        // when the owner comes back, which is what (d) is about. Nothing else differs from the preset.
        String policy = "preset = \"desktop\"\nstart_after_idle = \"0s\"\n" + s.deskPolicyLines();
        String machine = "owner-desk-" + round;
        CyphonLauncher launcher = CyphonLauncher.fromSystemProperty();
        try (CoordinatorProcess c = CoordinatorProcess.start(
                        launcher,
                        dir.resolve("coordinator-d-" + round),
                        dir.resolve("coordinator-d-" + round + ".log"),
                        List.of());
                OwnerAgent agent = OwnerAgent.start(launcher, c, machine, policy, dir.path());
                OwnerJobStates states = OwnerJobStates.follow(agent.log())) {
            ApiClient admin = new ApiClient(ApiClient.newHttpClient(), c.url(), c.adminToken());
            List<Long> ids = JobSubmitter.submit(
                            admin, new JobSubmitter.Template("owner-burner", OwnerBurners.LOOP, 1.0, "32M"), cores)
                    .ids();
            awaitEvery(states, ids, Set.of("running", "lingering"), Duration.ofSeconds(60), agent);

            OwnerTypist typist = OwnerTypist.start(display, s.typeEvery());
            try {
                // The owner is back: the desktop preset keeps the jobs running beside them, at idle priority.
                awaitEvery(states, ids, Set.of("lingering"), Duration.ofSeconds(30), agent);
                Thread.sleep(s.settle().toMillis());
                Map<String, String> observed = into.observed();
                into.add(round, OwnerRounds.run(s, "d", round, (label, attempt) -> {
                    // After a run the jobs may be frozen (the owner's demand contended): the next one starts once they
                    // linger again, after calm_for of calm. Other people's work can keep "the owner's" demand up for
                    // longer.
                    if (attempt > 1 && !lingerAgain(states, ids, Duration.ofMinutes(3))) {
                        observed.put(
                                "run " + label, "not run: the jobs were still frozen 3 minutes after the last run");
                        return null;
                    }
                    return measure(workload, label, c, agent, display, states, ids, admin, machine, observed);
                }));
            } finally {
                typist.close();
            }
            into.observed()
                    .put(
                            "typist",
                            typist.keys() + " xdotool key presses on :" + display.number() + " (last round)"
                                    + (typist.failure() != null ? "; FAILED: " + typist.failure() : ""));
            into.setup()
                    .put(
                            "agent",
                            "cyphon agent (./cyphon's JVM flags), a fresh one with its own coordinator each round, sandbox "
                                    + agent.sandbox() + ", [policy] " + agent.policy() + ", sensors default");
            into.setup().put("agent sensors", agent.sensors());
            into.setup().put("X11 input path", agent.x11InputPath(display.number()));
            SortedSet<Integer> others = agent.otherDisplaysSeen(display.number());
            if (!others.isEmpty()) {
                into.observed()
                        .put(
                                "other X displays",
                                others.stream().map(n -> ":" + n).collect(Collectors.joining(" "))
                                        + ": someone else's (tests), which the agent watched too: input there counted as the owner's");
            }
            into.setup()
                    .put(
                            "jobs",
                            ids.size() + " x `" + OwnerBurners.LOOP_SHOWN
                                    + "`, 1 cpu and 32M each, submitted through the API");
            for (long id : ids) admin.post("/jobs/" + id + "/cancel", Map.of(), JobView.class);
        }
    }

    /** One run of the owner's workload, and what the agent and the coordinator said about the jobs meanwhile. */
    private static OwnerWorkload.Result measure(
            OwnerWorkload workload,
            String label,
            CoordinatorProcess c,
            OwnerAgent agent,
            OwnerXvfb display,
            OwnerJobStates states,
            List<Long> ids,
            ApiClient admin,
            String machine,
            Map<String, String> observed)
            throws Exception {
        String suffix = " (run " + label + ")";
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        groups.put("jobs", agent.jobPids());
        groups.put("agent", List.of(agent.pid()));
        groups.put("coordinator", List.of(c.pid().getAsLong()));
        groups.put("Xvfb", List.of(display.pid()));
        OwnerWorkload.Result result;
        // Which of the agent's threads woke while the owner worked, and how often: what (d) costs beyond (f).
        ThreadSchedstats agentThreads = ThreadSchedstats.start(() -> List.of(agent.pid()), AGENT_SCHEDSTAT_EVERY);
        try (OwnerCoordinatorView view = OwnerCoordinatorView.watch(admin, machine)) {
            result = workload.run(label, groups);
            observed.put("coordinator's view" + suffix, view.describe());
        } finally {
            agentThreads.close();
        }
        observed.put("agent threads" + suffix, describeThreads(agentThreads.stop()));
        long from = result.cpu().fromNanos(), to = result.cpu().toNanos();
        observed.put("job states" + suffix, describeStates(states.secondsIn(ids, from, to), ids.size(), to - from));
        observed.put("changes" + suffix, describeChanges(states.changesIn(ids, from, to), from));
        // The jobs change state together (one desk, one decision): the first job's timeline splits the run.
        List<String> byState = new ArrayList<>();
        for (String state : List.of("lingering", "frozen")) {
            List<long[]> spans = states.spans(ids.get(0), state, from, to);
            if (!spans.isEmpty()) byState.add(state + ": " + result.series().describe(spans));
        }
        observed.put(
                "wake-ups by job state" + suffix,
                byState.isEmpty() ? "no lingering or frozen time" : String.join("; ", byState));
        return result;
    }

    /** The agent's threads are read this often: a carrier thread that ends in the window loses less than this. */
    static final Duration AGENT_SCHEDSTAT_EVERY = Duration.ofMillis(500);

    /**
     * "58.1 wake-ups/s, 4.1 ms CPU/s in all: sensor-load 1.0/s 0.3 ms/s; ForkJoinPool-1-worker-* (3) ...":
     * timeslices per second and CPU per second of the agent's threads, grouped by name, busiest first.
     */
    static String describeThreads(ThreadSchedstats.Window w) {
        double secs = w.wallNanos() / 1e9;
        List<String> parts = new ArrayList<>();
        for (ThreadSchedstats.Account a : w.byName()) {
            if (a.slices() == 0) continue;
            parts.add(a.name() + (a.tid() > 1 ? " (" + a.tid() + ")" : "") + " "
                    + Figures.decimal(a.slices() / secs, 1) + "/s " + Figures.decimal(a.onCpuNanos() / 1e6 / secs, 2)
                    + " ms/s");
        }
        return Figures.decimal(w.slices() / secs, 1) + " wake-ups/s, "
                + Figures.decimal(w.onCpuNanos() / 1e6 / secs, 2) + " ms CPU/s, "
                + Figures.decimal(w.waitNanos() / 1e6 / secs, 2) + " ms/s waiting to run, over "
                + w.threads().size() + " threads: " + String.join("; ", parts);
    }

    private static void awaitEvery(
            OwnerJobStates states, List<Long> ids, Set<String> state, Duration timeout, OwnerAgent agent)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!ids.stream().allMatch(id -> state.contains(states.stateOf(id)))) {
            if (System.nanoTime() > end) {
                List<String> now = ids.stream()
                        .map(id -> "job " + id + " " + states.stateOf(id))
                        .toList();
                throw new IOException(
                        "the jobs were not all " + String.join(" or ", state) + " after " + timeout.toSeconds() + " s ("
                                + String.join(", ", now) + "); agent log tail:\n" + agent.tail());
            }
            Thread.sleep(50);
        }
    }

    private static boolean lingerAgain(OwnerJobStates states, List<Long> ids, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!ids.stream().allMatch(id -> states.stateOf(id).equals("lingering"))) {
            if (System.nanoTime() > end) return false;
            Thread.sleep(50);
        }
        return true;
    }

    /** "lingering 62% (24.8 job-s), frozen 38% (15.2 job-s) of 2 jobs x 20.0 s". */
    private static String describeStates(Map<String, Double> seconds, int jobs, long windowNanos) {
        double total =
                seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        List<String> parts = new TreeMap<>(seconds)
                .entrySet().stream()
                        .map(e -> e.getKey() + " " + Figures.decimal(100 * e.getValue() / total, 0) + "% ("
                                + Figures.decimal(e.getValue(), 1) + " job-s)")
                        .toList();
        return String.join(", ", parts) + " of " + jobs + " jobs x " + Figures.seconds(windowNanos)
                + " (from the agent's log)";
    }

    private static String describeChanges(List<OwnerJobStates.Change> changes, long fromNanos) {
        if (changes.isEmpty()) return "none while the owner's workload ran";
        List<String> out = new ArrayList<>();
        for (OwnerJobStates.Change c : changes) {
            out.add("+" + Figures.seconds(c.nanoTime() - fromNanos) + " job " + c.job() + " " + c.state()
                    + (c.why().isEmpty() ? "" : " (" + c.why() + ")"));
        }
        return String.join(" | ", out);
    }
}
