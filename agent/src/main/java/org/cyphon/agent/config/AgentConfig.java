package org.cyphon.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.cyphon.agent.checkpoint.CheckpointSettings;
import org.cyphon.agent.client.CoordinatorTransport;
import org.cyphon.agent.client.CoordinatorTrust;
import org.cyphon.agent.desk.DeskConfig;
import org.cyphon.agent.files.StorageSettings;
import org.cyphon.agent.gpu.GpuSettings;
import org.cyphon.agent.power.PowerConfig;
import org.cyphon.agent.sandbox.SandboxSettings;
import org.cyphon.agent.sensors.SensorSettings;

/**
 * A validated agent configuration.
 *
 * @param enrollToken  secret used only to join the pool; afterwards the agent uses its own token,
 *                     kept in {@code stateDir}
 * @param jobUser      user jobs run as when the agent is root (null: the agent's own user)
 * @param uploadEvery  how often running jobs' new output is shipped, so {@code cyphon logs --follow}
 *                     sees it while the job runs
 * @param desk         the owner's desk VM ({@code [desk]}), or null when the machine has none
 * @param labels       {@code [labels]}: what jobs may require of this machine, besides what the
 *                     agent finds itself (os, arch, gpu); these win over those
 * @param owner        {@code owner}: the user whose desk this is, told to the coordinator at enrollment
 *                     (they may then declare their own absences); null: say nothing (an admin may set it)
 * @param trust        {@code ca_fingerprint} and {@code insecure_http}: how the coordinator's transport is checked
 * @param storage      {@code [storage]}: shared storage this desk mounts, and its cache of jobs' input files
 * @param power        {@code [power]}: whether and how the desk sleeps when idle
 * @param gpu          {@code [gpu]}: where nvidia-smi and the GPU device nodes are
 * @param moreCoordinators the coordinators after the first when {@code coordinator} lists several (one pool,
 *                     several coordinators on one database): the agent moves to the next when one is unreachable
 */
public record AgentConfig(
        String name,
        URI coordinator,
        String enrollToken,
        Path stateDir,
        int cpuMillis,
        long memoryBytes,
        SandboxSettings sandbox,
        String jobUser,
        Duration uploadEvery,
        SensorSettings sensors,
        Map<String, String> policy,
        CheckpointSettings checkpoint,
        DeskConfig desk,
        Map<String, String> labels,
        String owner,
        CoordinatorTrust trust,
        StorageSettings storage,
        PowerConfig power,
        GpuSettings gpu,
        List<URI> moreCoordinators) {

    public AgentConfig {
        if (power == null) power = PowerConfig.OFF;
        moreCoordinators = moreCoordinators == null ? List.of() : List.copyOf(moreCoordinators);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (trust == null) trust = CoordinatorTrust.DEFAULT;
        if (storage == null) storage = StorageSettings.defaults();
        if (gpu == null) gpu = GpuSettings.defaults();
    }

    /**
     * Every coordinator this agent may talk to, in the order it tries them: {@code coordinator}
     * first, then the others the configuration lists.
     */
    public List<URI> coordinators() {
        List<URI> all = new ArrayList<>();
        all.add(coordinator);
        all.addAll(moreCoordinators);
        return all;
    }

    /** Each coordinator's URL with how to check it, in {@link #coordinators} order. */
    public List<CoordinatorTransport> transports() {
        return coordinators().stream()
                .map(u -> CoordinatorTransport.of(u, trust, "insecure_http = true in agent.toml"))
                .toList();
    }

    /**
     * The coordinator's URL with how to check it ({@code ca_fingerprint}, {@code insecure_http}).
     *
     * @throws IllegalArgumentException for plain HTTP to another machine without {@code insecure_http = true}
     */
    public CoordinatorTransport transport() {
        return CoordinatorTransport.of(coordinator, trust, "insecure_http = true in agent.toml");
    }

    /** The same configuration trusting the coordinator as given (a pinned CA, plain HTTP allowed or not). */
    public AgentConfig withTrust(CoordinatorTrust t) {
        return with(c -> c.trust = t);
    }

    /** The same configuration with other {@code [gpu]} settings. */
    public AgentConfig withGpu(GpuSettings g) {
        return with(c -> c.gpu = g);
    }

    public AgentConfig withName(String n) {
        return with(c -> {
            c.name = n;
            c.desk = desk == null ? null : desk.forAgent(n, stateDir);
        });
    }

    public AgentConfig withCoordinator(URI uri, String token) {
        return with(c -> {
            c.coordinator = uri;
            c.enrollToken = token;
            c.moreCoordinators = List.of();
        });
    }

    public AgentConfig withStateDir(Path d) {
        return with(c -> {
            c.stateDir = d;
            c.desk = desk == null ? null : desk.forAgent(name, d);
        });
    }

    /** The {@code [policy]} table of another file (what {@code cyphon up --config} applies). */
    public AgentConfig withPolicy(Map<String, String> p) {
        Map<String, String> copied = Map.copyOf(p);
        return with(c -> c.policy = copied);
    }

    public AgentConfig withSensors(SensorSettings s) {
        return with(c -> c.sensors = s);
    }

    public AgentConfig withSandbox(SandboxSettings s) {
        return with(c -> c.sandbox = s);
    }

    /** These settings with another {@code [storage]} (what {@code cyphon up --config} applies). */
    public AgentConfig withStorage(StorageSettings s) {
        return with(c -> c.storage = s);
    }

    public AgentConfig withOwner(String o) {
        return with(c -> c.owner = o);
    }

    /** The same configuration with {@code [power]} as given. */
    public AgentConfig withPower(PowerConfig p) {
        return with(c -> c.power = p);
    }

    /** This configuration with what {@code change} sets on a copy of it, checked again as a new one. */
    private AgentConfig with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /**
     * Every component of a configuration, settable one by one, so that each {@code with...} names
     * only what it changes; {@link #build} goes through the canonical constructor, so the defaults
     * and copies made there apply to every result.
     */
    private static final class Copy {
        String name;
        URI coordinator;
        String enrollToken;
        Path stateDir;
        int cpuMillis;
        long memoryBytes;
        SandboxSettings sandbox;
        String jobUser;
        Duration uploadEvery;
        SensorSettings sensors;
        Map<String, String> policy;
        CheckpointSettings checkpoint;
        DeskConfig desk;
        Map<String, String> labels;
        String owner;
        CoordinatorTrust trust;
        StorageSettings storage;
        PowerConfig power;
        GpuSettings gpu;
        List<URI> moreCoordinators;

        Copy(AgentConfig from) {
            name = from.name;
            coordinator = from.coordinator;
            enrollToken = from.enrollToken;
            stateDir = from.stateDir;
            cpuMillis = from.cpuMillis;
            memoryBytes = from.memoryBytes;
            sandbox = from.sandbox;
            jobUser = from.jobUser;
            uploadEvery = from.uploadEvery;
            sensors = from.sensors;
            policy = from.policy;
            checkpoint = from.checkpoint;
            desk = from.desk;
            labels = from.labels;
            owner = from.owner;
            trust = from.trust;
            storage = from.storage;
            power = from.power;
            gpu = from.gpu;
            moreCoordinators = from.moreCoordinators;
        }

        AgentConfig build() {
            return new AgentConfig(
                    name,
                    coordinator,
                    enrollToken,
                    stateDir,
                    cpuMillis,
                    memoryBytes,
                    sandbox,
                    jobUser,
                    uploadEvery,
                    sensors,
                    policy,
                    checkpoint,
                    desk,
                    labels,
                    owner,
                    trust,
                    storage,
                    power,
                    gpu,
                    moreCoordinators);
        }
    }
}
