package org.cyphon.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Display;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.client.JobQuery;
import org.cyphon.cli.client.Table;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cyphon q}: the queue as a table (ID, NAME, OWNER, STATE, MACHINE, RUN), like
 * {@code condor_q} / {@code squeue}. By default only jobs that are not finished; a count by state
 * goes to stderr so stdout stays a clean table.
 */
@Command(
        name = "q",
        mixinStandardHelpOptions = true,
        description = {
            "List jobs: unfinished ones by default, oldest first.",
            "A summary line (\"3 jobs: 1 queued, 2 running\") is printed on stderr."
        })
public final class QueueCommand extends ApiCommand {
    @Option(
            names = {"-a", "--all"},
            description = "Include finished jobs (completed, failed, cancelled).")
    boolean all;

    @Option(
            names = "--state",
            paramLabel = "STATE",
            split = ",",
            description =
                    "Only jobs in these states (comma-separated): waiting, queued, running, suspended, held, completed, failed, cancelled.")
    List<String> states;

    @Option(
            names = {"-u", "--owner"},
            paramLabel = "USER",
            description = "Only jobs of this user.")
    String owner;

    @Option(names = "--name", paramLabel = "NAME", description = "Only jobs with this name.")
    String name;

    @Option(names = "--machine", paramLabel = "MACHINE", description = "Only jobs on this machine.")
    String machine;

    @Option(names = "--limit", paramLabel = "N", description = "At most N jobs (the coordinator's default is 1000).")
    Integer limit;

    @Option(names = "--json", description = "Print the API's JobList JSON instead of the table.")
    boolean json;

    private List<JobState> stateFilter;

    @Override
    protected void checkInput() {
        stateFilter = stateFilter();
    }

    @Override
    protected int run(CyphonClient client) {
        JobList list = client.jobs(new JobQuery(stateFilter, owner, name, machine, limit));
        if (json) {
            print(WireJson.pretty(list));
            return 0;
        }
        List<JobView> jobs = list.jobs() == null ? List.of() : list.jobs();
        print(table(jobs).render());
        note(summary(jobs, list.matching(), list.matchingCap()));
        return 0;
    }

    List<JobState> stateFilter() {
        if (states != null && !states.isEmpty()) {
            List<JobState> out = new ArrayList<>();
            for (String s : states) {
                try {
                    out.add(JobState.fromWire(s));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInput("--state: " + e.getMessage());
                }
            }
            return out;
        }
        if (all) return List.of();
        return Arrays.stream(JobState.values()).filter(s -> !s.isTerminal()).toList();
    }

    /** The queue table (package-private for the formatting tests). */
    static Table table(List<JobView> jobs) {
        // A WHY column only when a job waits for a reason: no machine carries its labels, or jobs it runs after.
        boolean why = jobs.stream().anyMatch(j -> why(j) != null);
        Table t = why
                ? new Table("ID", "NAME", "OWNER", "STATE", "MACHINE", "RUN", "WHY").alignRight(0, 5)
                : new Table("ID", "NAME", "OWNER", "STATE", "MACHINE", "RUN").alignRight(0, 5);
        for (JobView j : jobs) {
            t.row(
                    j.id(),
                    j.submission().name(),
                    j.submission().owner(),
                    j.state(),
                    j.progress().machine(),
                    Display.seconds(j.progress().runSeconds()),
                    why(j));
        }
        return t;
    }

    private static String why(JobView j) {
        if ("queued".equals(j.state())) return j.progress().reason();
        List<Long> on = j.progress().waitingOn();
        if ("waiting".equals(j.state()) && on != null && !on.isEmpty()) {
            int shown = Math.min(on.size(), 5);
            String ids = String.join(
                    ",", on.subList(0, shown).stream().map(String::valueOf).toList());
            return "waiting on " + ids + (on.size() > shown ? " and " + (on.size() - shown) + " more" : "");
        }
        return null;
    }

    /**
     * The summary; when the coordinator cut the listing at its limit ({@code matching} not null),
     * the counts are of every matching job, with how many were not shown and how to see them.
     */
    static String summary(List<JobView> jobs, Map<String, Long> matching) {
        return summary(jobs, matching, null);
    }

    /**
     * Like {@link #summary(List, Map)}; a state whose count reached {@code cap} (the coordinator
     * counts each state up to it) has at least that many: "100000+ queued".
     */
    static String summary(List<JobView> jobs, Map<String, Long> matching, Long cap) {
        if (matching == null) return summary(jobs);
        long total = matching.values().stream().mapToLong(Long::longValue).sum();
        boolean atLeast = cap != null && matching.values().stream().anyMatch(n -> n >= cap);
        StringBuilder b =
                new StringBuilder().append(total).append(atLeast ? "+" : "").append(total == 1 ? " job" : " jobs");
        List<String> parts = new ArrayList<>();
        matching.forEach((state, n) -> parts.add(n + (cap != null && n >= cap ? "+ " : " ") + state));
        if (!parts.isEmpty()) b.append(": ").append(String.join(", ", parts));
        long hidden = total - jobs.size();
        if (hidden > 0) {
            b.append("; ")
                    .append(hidden)
                    .append(atLeast ? "+" : "")
                    .append(" not shown (listed: the newest ")
                    .append(jobs.size())
                    .append("): ");
            b.append(
                    total <= MAX_LIMIT && !atLeast
                            ? "see them all with --limit " + total + ", or narrow with --state, --name, --owner"
                            : "narrow with --state, --name, --owner (--limit shows at most " + MAX_LIMIT + ")");
        }
        return b.toString();
    }

    /** The coordinator's largest {@code limit}. */
    static final int MAX_LIMIT = 100_000;

    /** "3 jobs: 1 queued, 2 running", states in their life order; "0 jobs" when empty. */
    static String summary(List<JobView> jobs) {
        Map<JobState, Integer> byState = new EnumMap<>(JobState.class);
        List<String> unknown = new ArrayList<>();
        for (JobView j : jobs) {
            try {
                byState.merge(JobState.fromWire(j.state()), 1, Integer::sum);
            } catch (IllegalArgumentException | NullPointerException e) {
                unknown.add(String.valueOf(j.state())); // a newer coordinator's state: still count it
            }
        }
        StringBuilder b = new StringBuilder().append(jobs.size()).append(jobs.size() == 1 ? " job" : " jobs");
        List<String> parts = new ArrayList<>();
        byState.forEach((state, n) -> parts.add(n + " " + state.wireName()));
        if (!unknown.isEmpty()) parts.add(unknown.size() + " other");
        if (!parts.isEmpty()) b.append(": ").append(String.join(", ", parts));
        return b.toString();
    }
}
