package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real agent, {@code cyphon agent --config agent.toml}, started from the packaged jar with the
 * JVM flags {@code ./cyphon agent} uses: the process an owner would find on their desktop.
 */
final class AgentProcess implements AutoCloseable {
    /**
     * What the agent.toml says beyond name, coordinator and state dir; a null keeps the agent's
     * default. {@code policyPreset}: the {@code [policy] preset} (README, "[policy]: owner first").
     */
    record Settings(String name, Double cpus, String memory, String uploadEvery, String policyPreset) {}

    private static final Pattern JOINED = Pattern.compile("agent (\\S+) joined \\S+ \\(sandbox ([^)]+)\\)");
    private static final Pattern TIMING = Pattern.compile("heartbeat (\\d+) ms, lease (\\d+) ms");

    private final ChildProcess process;
    private final String sandbox;
    private final List<String> jvmFlags;

    private AgentProcess(ChildProcess process, String sandbox, List<String> jvmFlags) {
        this.process = process;
        this.sandbox = sandbox;
        this.jvmFlags = jvmFlags;
    }

    /** Starts the agent and waits until it has joined the pool ({@code agent NAME joined ...}). */
    static AgentProcess start(CyphonLauncher launcher, CoordinatorUnderTest coordinator, Settings s, Path dir)
            throws IOException, InterruptedException {
        // The state dir sits under the 0755 scratch dir: jobs run as 'nobody' must reach their work dirs.
        Path state = dir.resolve("agent-" + s.name());
        Path config = dir.resolve("agent-" + s.name() + ".toml");
        StringBuilder toml = new StringBuilder()
                .append("name = ")
                .append(tomlString(s.name()))
                .append('\n')
                .append("coordinator = ")
                .append(tomlString(coordinator.url()))
                .append('\n')
                .append("enroll_token_file = ")
                .append(tomlString(coordinator.enrollTokenFile().toString()))
                .append('\n')
                .append("state_dir = ")
                .append(tomlString(state.toString()))
                .append('\n');
        if (s.cpus() != null)
            toml.append("cpus = ")
                    .append(String.format(Locale.ROOT, "%s", s.cpus()))
                    .append('\n');
        if (s.memory() != null)
            toml.append("memory = ").append(tomlString(s.memory())).append('\n');
        if (s.uploadEvery() != null)
            toml.append("[output]\nupload_every = ")
                    .append(tomlString(s.uploadEvery()))
                    .append('\n');
        if (s.policyPreset() != null)
            toml.append("[policy]\npreset = ")
                    .append(tomlString(s.policyPreset()))
                    .append('\n');
        Files.writeString(config, toml);

        ChildProcess p = ChildProcess.start(
                "agent " + s.name(),
                launcher.command("agent", List.of(), "--config", config.toString()),
                dir.resolve("agent-" + s.name() + ".log"));
        try {
            String line = p.awaitLine("(agent \\S+ joined .*)", Duration.ofSeconds(90));
            Matcher m = JOINED.matcher(line);
            String sandbox = m.find() ? m.group(2) : "unknown";
            return new AgentProcess(p, sandbox, launcher.jvmFlags("agent"));
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private static String tomlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    long pid() {
        return process.pid();
    }

    /** As the agent announced it: cgroup-v2, cgroup-v1 or nice-only (with a note when degraded). */
    String sandbox() {
        return sandbox;
    }

    List<String> jvmFlags() {
        return jvmFlags;
    }

    /** "heartbeat 2000 ms, lease 30000 ms" from the agent's enrollment log line, if it logged one. */
    String timing() {
        try {
            Matcher m = TIMING.matcher(Files.readString(process.log()));
            return m.find() ? "heartbeat " + m.group(1) + " ms, lease " + m.group(2) + " ms" : "not logged";
        } catch (IOException e) {
            return "unknown";
        }
    }

    Path log() {
        return process.log();
    }

    String tail() {
        return process.tail();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
