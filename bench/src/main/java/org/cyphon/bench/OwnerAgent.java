package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real agent for cases (d) and (e), {@code cyphon agent --config agent.toml}, started from the
 * packaged jar with {@code ./cyphon agent}'s JVM flags, with a {@code [policy]} section of the
 * case's own (AgentProcess writes only a preset; these cases need a few of its keys too). Sensors
 * keep their defaults: the agent finds the owner's display by itself.
 */
final class OwnerAgent implements AutoCloseable {
    private static final Pattern JOINED = Pattern.compile("agent (\\S+) joined \\S+ \\(sandbox ([^)]+)\\)");
    /** "agent NAME: sensor x11: running" or "...: sensor evdev: no /dev/input on this machine". */
    private static final Pattern SENSOR_STATE = Pattern.compile("agent \\S+: sensor (\\S+): (.*)$");
    /** What the X11 sensor says about how it reads input (events as they happen, or idle time sampled). */
    private static final Pattern X11_LINE = Pattern.compile("(sensor x11 |x11: )");
    /** " :100" as the X11 sensor names a display (the log's "05:12:42" times have no space before the colon). */
    private static final Pattern DISPLAY = Pattern.compile("\\s:(\\d+)\\b");

    private final ChildProcess process;
    private final String name;
    private final String sandbox;
    private final String policyToml;

    private OwnerAgent(ChildProcess process, String name, String sandbox, String policyToml) {
        this.process = process;
        this.name = name;
        this.sandbox = sandbox;
        this.policyToml = policyToml;
    }

    /** @param policyToml the body of {@code [policy]}, one {@code key = value} per line */
    static OwnerAgent start(
            CyphonLauncher launcher, CoordinatorUnderTest coordinator, String name, String policyToml, Path dir)
            throws IOException, InterruptedException {
        Path config = dir.resolve("agent-" + name + ".toml");
        // The state dir sits under the 0755 scratch dir: jobs run as 'nobody' must reach their work dirs.
        String toml = "name = " + quote(name) + "\n"
                + "coordinator = " + quote(coordinator.url()) + "\n"
                + "enroll_token_file = " + quote(coordinator.enrollTokenFile().toString()) + "\n"
                + "state_dir = " + quote(dir.resolve("agent-" + name).toString()) + "\n"
                + "[policy]\n" + policyToml.strip() + "\n";
        Files.writeString(config, toml);
        ChildProcess p = ChildProcess.start(
                "agent " + name,
                launcher.command("agent", List.of(), "--config", config.toString()),
                dir.resolve("agent-" + name + ".log"));
        try {
            Matcher m = JOINED.matcher(p.awaitLine("(agent \\S+ joined .*)", Duration.ofSeconds(90)));
            return new OwnerAgent(p, name, m.find() ? m.group(2) : "unknown", policyToml.strip());
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    String sandbox() {
        return sandbox;
    }

    /** "preset = "desktop"; start_after_idle = "0s"", for the table. */
    String policy() {
        return String.join(
                "; ",
                policyToml.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    Path log() {
        return process.log();
    }

    String tail() {
        return process.tail();
    }

    /**
     * Which owner sensors run, from the agent's "agent NAME: sensor S: running|why not" lines:
     * "running x11, utmp, load, power; not running: evdev (no /dev/input on this machine), ...".
     */
    String sensors() throws IOException {
        List<String> running = new ArrayList<>(), not = new ArrayList<>();
        for (String line : Files.readAllLines(process.log())) {
            Matcher m = SENSOR_STATE.matcher(line);
            if (!m.find()) continue;
            if (m.group(2).equals("running")) running.add(m.group(1));
            else not.add(m.group(1) + " (" + m.group(2) + ")");
        }
        return "running " + (running.isEmpty() ? "none" : String.join(", ", running))
                + (not.isEmpty() ? "; not running: " + String.join(", ", not) : "");
    }

    /**
     * How the X11 sensor reads the owner's display, in the agent's own words: event-driven (XInput 2
     * raw events) or by sampling its idle time every {@code sample_every}.
     */
    String x11InputPath(int display) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(process.log())) {
            if (line.contains("sensor x11 started")
                    || (X11_LINE.matcher(line).find() && line.contains("display :" + display + " "))) {
                out.add(line.replaceFirst("^\\S+ +\\S+ +(\\[[^]]*] +)?\\S+ - ", ""));
            }
        }
        return out.isEmpty() ? "the agent logged nothing about its X11 sensor" : String.join(" | ", out);
    }

    /** Displays other than the owner's that the agent's X11 sensor mentioned: their input counts as the owner's too. */
    SortedSet<Integer> otherDisplaysSeen(int display) throws IOException {
        SortedSet<Integer> out = new TreeSet<>();
        for (String line : Files.readAllLines(process.log())) {
            if (!X11_LINE.matcher(line).find()) continue;
            Matcher m = DISPLAY.matcher(line);
            while (m.find()) if (Integer.parseInt(m.group(1)) != display) out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    /** The agent's own job processes (the launch wrappers and the jobs), for the CPU window. */
    List<Long> jobPids() {
        return ProcessHandle.of(process.pid())
                .map(h -> h.descendants().map(ProcessHandle::pid).toList())
                .orElse(List.of());
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
