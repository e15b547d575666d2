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
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", j.name());
        fields.put("owner", j.owner());
        fields.put(
                "state",
                j.state()
                        + (j.machine() != null ? " on " + j.machine() : "")
                        + (j.reason() != null ? " (" + j.reason() + ")" : ""));
        fields.put("command", Display.command(j.command()));
        fields.put("cpus", Display.cpus(j.cpus()));
        fields.put("memory", Display.size(j.memoryBytes()));
        fields.put(
                "runtime",
                j.runtimeSeconds() != null
                        ? Display.seconds(j.runtimeSeconds())
                        : j.expectedRuntimeSeconds() != null
                                ? "not given; expected " + Display.seconds(j.expectedRuntimeSeconds())
                                        + " (learned from earlier runs of " + j.name() + ")"
                                : "not given");
        fields.put("priority", Integer.toString(j.priority()));
        if (j.requires() != null && !j.requires().isEmpty())
            fields.put("requires", org.cyphon.core.machine.Labels.show(j.requires()));
        fields.put("index", Integer.toString(j.index()));
        if (j.env() != null && !j.env().isEmpty()) {
            fields.put(
                    "env",
                    String.join(
                            " ",
                            j.env().entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .toList()));
        }
        fields.put("attempts", j.attemptCount() + " of at most " + j.maxAttempts());
        fields.put("submitted", Display.time(j.submittedAt()));
        if (j.startedAt() != null) fields.put("started", Display.time(j.startedAt()));
        if (j.finishedAt() != null) fields.put("finished", Display.time(j.finishedAt()));
        if (j.runSeconds() != null) fields.put("run time", Display.seconds(j.runSeconds()));
        if (j.cpuSeconds() != null) fields.put("cpu time", Display.seconds(Math.round(j.cpuSeconds())));
        if (j.exitCode() != null) fields.put("exit code", Integer.toString(j.exitCode()));
        if (j.checkpointExitCode() != null) {
            String every = j.checkpointEverySeconds() == null
                    ? null
                    : j.checkpointEverySeconds() == 0
                            ? "asked as often as the desk's idle forecast suggests (auto)"
                            : "asked every " + Display.seconds(j.checkpointEverySeconds());
            fields.put(
                    "checkpoints",
                    (every != null ? every : "asked before a vacate") + "; exit code " + j.checkpointExitCode()
                            + " requeues");
        }
        if (j.checkpointBytes() != null) {
            fields.put("checkpoint", Display.size(j.checkpointBytes()) + " stored " + Display.time(j.checkpointAt()));
        }
        // Work thrown away: what vacated, lost or killed attempts computed after their last checkpoint.
        if (j.lostCpuSeconds() != null) fields.put("lost cpu", Display.seconds(Math.round(j.lostCpuSeconds())));

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
