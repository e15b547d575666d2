package org.cyphon.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Display;
import org.cyphon.cli.client.Table;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.AttemptView;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cyphon job ID}: everything about one job: its request, its attempts and its history. */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description = "Show one job: details, attempts and event history.")
public final class JobCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "The job id.")
    long id;

    @Option(names = "--json", description = "Print {\"job\": JobView, \"events\": [EventView...]} as JSON.")
    boolean json;

    /** The shape of {@code --json}: the two API replies side by side. */
    record JobWithEvents(JobView job, List<EventView> events) {}

    @Override
    protected int run(CyphonClient client) {
        JobView job = client.job(id);
        EventList events = client.events(id);
        List<EventView> history = events.events() == null ? List.of() : events.events();
        if (json) {
            print(WireJson.pretty(new JobWithEvents(job, history)));
            return 0;
        }
        print(details(job, history));
        return 0;
    }

    /** The human form: a key/value block, then the attempts and events tables. */
    static String details(JobView j, List<EventView> events) {
        JobView.Submission sub = j.submission();
        JobView.Needs needs = j.needs();
        JobView.Progress progress = j.progress();
        JobView.Result result = j.result();
        JobView.Checkpoints cp = j.checkpoints();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", sub.name());
        fields.put("owner", sub.owner());
        fields.put(
                "state",
                j.state()
                        + (progress.machine() != null ? " on " + progress.machine() : "")
                        + (progress.reason() != null ? " (" + progress.reason() + ")" : ""));
        fields.put("command", Display.command(sub.command()));
        fields.put("cpus", Display.cpus(needs.cpus()));
        fields.put("memory", Display.size(needs.memoryBytes()));
        if (needs.gpus() > 0) fields.put("gpus", Integer.toString(needs.gpus()));
        fields.put(
                "runtime",
                needs.runtimeSeconds() != null
                        ? Display.seconds(needs.runtimeSeconds())
                        : needs.expectedRuntimeSeconds() != null
                                ? "not given; expected " + Display.seconds(needs.expectedRuntimeSeconds())
                                        + " (learned from earlier runs of " + sub.name() + ")"
                                : "not given");
        fields.put(
                "disk",
                needs.diskBytes() != null
                        ? Display.size(needs.diskBytes()) + " (stopped past it; placed where that much is free)"
                        : "not given (the desk's default limit, 10G)");
        fields.put("network", "none".equals(needs.network()) ? "none (loopback only)" : "host (the desk's)");
        fields.put("priority", Integer.toString(sub.priority()));
        if (needs.requires() != null && !needs.requires().isEmpty())
            fields.put("requires", org.cyphon.core.machine.Labels.show(needs.requires()));
        fields.put("index", Integer.toString(sub.index()));
        if (sub.env() != null && !sub.env().isEmpty()) {
            fields.put(
                    "env",
                    String.join(
                            " ",
                            sub.env().entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .toList()));
        }
        if (sub.secretEnv() != null && !sub.secretEnv().isEmpty()) {
            // Names only, even for the owner: a terminal is looked at over shoulders and scrolled
            // back; the values are in the API's job view for the owner and admins.
            fields.put(
                    "secret env",
                    String.join(
                            " ",
                            sub.secretEnv().keySet().stream()
                                    .map(k -> k + "=" + org.cyphon.core.protocol.JobView.HIDDEN)
                                    .toList()));
        }
        fields.put("attempts", progress.attemptCount() + " of at most " + progress.maxAttempts());
        fields.put("submitted", Display.time(sub.submittedAt()));
        if (progress.startedAt() != null) fields.put("started", Display.time(progress.startedAt()));
        if (progress.finishedAt() != null) fields.put("finished", Display.time(progress.finishedAt()));
        if (progress.runSeconds() != null) fields.put("run time", Display.seconds(progress.runSeconds()));
        if (result.cpuSeconds() != null) fields.put("cpu time", Display.seconds(Math.round(result.cpuSeconds())));
        if (result.exitCode() != null) fields.put("exit code", Integer.toString(result.exitCode()));
        if (cp.exitCode() != null) {
            String every = cp.everySeconds() == null
                    ? null
                    : cp.everySeconds() == 0
                            ? "asked as often as the desk's idle forecast suggests (auto)"
                            : "asked every " + Display.seconds(cp.everySeconds());
            fields.put(
                    "checkpoints",
                    (every != null ? every : "asked before a vacate") + "; exit code " + cp.exitCode() + " requeues");
        }
        if (cp.storedBytes() != null) {
            fields.put("checkpoint", Display.size(cp.storedBytes()) + " stored " + Display.time(cp.storedAt()));
        }
        // Work thrown away: what vacated, lost or killed attempts computed after their last checkpoint.
        if (result.lostCpuSeconds() != null)
            fields.put("lost cpu", Display.seconds(Math.round(result.lostCpuSeconds())));

        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder("Job ").append(j.id()).append('\n');
        fields.forEach((k, v) -> out.append("  ")
                .append(k)
                .append(" ".repeat(width - k.length() + 2))
                .append(v == null || v.isEmpty() ? "-" : v)
                .append('\n'));

        List<AttemptView> attempts = j.attempts() == null ? List.of() : j.attempts();
        out.append("\nAttempts:\n");
        if (attempts.isEmpty()) {
            out.append("  none yet\n");
        } else {
            Table t = new Table("#", "MACHINE", "STARTED", "ENDED", "OUTCOME", "EXIT", "CPU", "MESSAGE")
                    .alignRight(0, 5, 6);
            for (AttemptView a : attempts) {
                t.row(
                        a.attempt(),
                        a.machine(),
                        Display.time(a.startedAt()),
                        Display.time(a.endedAt()),
                        a.outcome() != null ? a.outcome() : "running",
                        a.exitCode(),
                        a.cpuSeconds() == null ? null : Display.seconds(Math.round(a.cpuSeconds())),
                        a.message());
            }
            out.append(indent(t.render()));
        }

        out.append("\nEvents:\n");
        if (events.isEmpty()) {
            out.append("  none\n");
        } else {
            Table t = new Table("TIME", "EVENT", "ATTEMPT", "MACHINE", "MESSAGE").alignRight(2);
            for (EventView e : events) t.row(Display.time(e.time()), e.type(), e.attempt(), e.machine(), e.message());
            out.append(indent(t.render()));
        }
        return out.toString();
    }

    private static String indent(String lines) {
        return lines.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    }
}
