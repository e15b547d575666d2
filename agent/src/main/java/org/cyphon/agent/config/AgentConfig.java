package org.cyphon.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.cyphon.agent.sandbox.SandboxSettings;

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
        org.cyphon.agent.sensors.SensorSettings sensors,
        java.util.Map<String, String> policy,
        org.cyphon.agent.checkpoint.CheckpointSettings checkpoint,
        org.cyphon.agent.desk.DeskConfig desk,
        java.util.Map<String, String> labels,
        String owner,
        org.cyphon.agent.client.CoordinatorTrust trust,
        org.cyphon.agent.files.StorageSettings storage,
        org.cyphon.agent.power.PowerConfig power,
        org.cyphon.agent.gpu.GpuSettings gpu,
        java.util.List<URI> moreCoordinators) {

    public AgentConfig {
        if (power == null) power = org.cyphon.agent.power.PowerConfig.OFF;
        moreCoordinators = moreCoordinators == null ? java.util.List.of() : java.util.List.copyOf(moreCoordinators);
        labels = labels == null ? java.util.Map.of() : java.util.Map.copyOf(labels);
        if (trust == null) trust = org.cyphon.agent.client.CoordinatorTrust.DEFAULT;
        if (storage == null) storage = org.cyphon.agent.files.StorageSettings.defaults();
        if (gpu == null) gpu = org.cyphon.agent.gpu.GpuSettings.defaults();
    }

    /** A configuration without {@code [storage]} or {@code [gpu]}. */
    public AgentConfig(
            String name,
            URI coordinator,
            String enrollToken,
            Path stateDir,
            int cpuMillis,
            long memoryBytes,
            SandboxSettings sandbox,
            String jobUser,
            Duration uploadEvery,
            org.cyphon.agent.sensors.SensorSettings sensors,
            java.util.Map<String, String> policy,
            org.cyphon.agent.checkpoint.CheckpointSettings checkpoint,
            org.cyphon.agent.desk.DeskConfig desk,
            java.util.Map<String, String> labels,
            String owner,
            org.cyphon.agent.client.CoordinatorTrust trust) {
        this(
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
                null,
                null,
                null,
                null);
    }

    /**
     * Every coordinator this agent may talk to, in the order it tries them: {@code coordinator}
     * first, then the others the configuration lists.
     */
    public java.util.List<URI> coordinators() {
        java.util.List<URI> all = new java.util.ArrayList<>();
        all.add(coordinator);
        all.addAll(moreCoordinators);
        return all;
    }

    /** Each coordinator's URL with how to check it, in {@link #coordinators} order. */
    public java.util.List<org.cyphon.agent.client.CoordinatorTransport> transports() {
        return coordinators().stream()
                .map(u ->
                        org.cyphon.agent.client.CoordinatorTransport.of(u, trust, "insecure_http = true in agent.toml"))
                .toList();
    }

    /**
     * The coordinator's URL with how to check it ({@code ca_fingerprint}, {@code insecure_http}).
     *
     * @throws IllegalArgumentException for plain HTTP to another machine without {@code insecure_http = true}
     */
    public org.cyphon.agent.client.CoordinatorTransport transport() {
        return org.cyphon.agent.client.CoordinatorTransport.of(
                coordinator, trust, "insecure_http = true in agent.toml");
    }

    /** The same configuration trusting the coordinator as given (a pinned CA, plain HTTP allowed or not). */
    public AgentConfig withTrust(org.cyphon.agent.client.CoordinatorTrust t) {
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
                t,
                storage,
                power,
                gpu,
                moreCoordinators);
    }

    /** The same configuration with other {@code [gpu]} settings. */
    public AgentConfig withGpu(org.cyphon.agent.gpu.GpuSettings g) {
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
                g,
                moreCoordinators);
    }

    /** A configuration that names no owner. */
    public AgentConfig(
            String name,
            URI coordinator,
            String enrollToken,
            Path stateDir,
            int cpuMillis,
            long memoryBytes,
            SandboxSettings sandbox,
            String jobUser,
            Duration uploadEvery,
            org.cyphon.agent.sensors.SensorSettings sensors,
            java.util.Map<String, String> policy,
            org.cyphon.agent.checkpoint.CheckpointSettings checkpoint,
            org.cyphon.agent.desk.DeskConfig desk,
            java.util.Map<String, String> labels) {
        this(
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
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** A configuration without {@code [labels]}. */
    public AgentConfig(
            String name,
            URI coordinator,
            String enrollToken,
            Path stateDir,
            int cpuMillis,
            long memoryBytes,
            SandboxSettings sandbox,
            String jobUser,
            Duration uploadEvery,
            org.cyphon.agent.sensors.SensorSettings sensors,
            java.util.Map<String, String> policy,
            org.cyphon.agent.checkpoint.CheckpointSettings checkpoint,
            org.cyphon.agent.desk.DeskConfig desk) {
        this(
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
                null);
    }

    /** A configuration without a desk VM. */
    public AgentConfig(
            String name,
            URI coordinator,
            String enrollToken,
            Path stateDir,
            int cpuMillis,
            long memoryBytes,
            SandboxSettings sandbox,
            String jobUser,
            Duration uploadEvery,
            org.cyphon.agent.sensors.SensorSettings sensors,
            java.util.Map<String, String> policy,
            org.cyphon.agent.checkpoint.CheckpointSettings checkpoint) {
        this(
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
                null);
    }

    public AgentConfig withName(String n) {
        return new AgentConfig(
                n,
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
                desk == null ? null : desk.forAgent(n, stateDir),
                labels,
                owner,
                trust,
                storage,
                power,
                gpu,
                moreCoordinators);
    }

    public AgentConfig withCoordinator(URI c, String token) {
        return new AgentConfig(
                name,
                c,
                token,
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
                java.util.List.of());
    }

    public AgentConfig withStateDir(Path d) {
        return new AgentConfig(
                name,
                coordinator,
                enrollToken,
                d,
                cpuMillis,
                memoryBytes,
                sandbox,
                jobUser,
                uploadEvery,
                sensors,
                policy,
                checkpoint,
                desk == null ? null : desk.forAgent(name, d),
                labels,
                owner,
                trust,
                storage,
                power,
                gpu,
                moreCoordinators);
    }

    /** The {@code [policy]} table of another file (what {@code cyphon up --config} applies). */
    public AgentConfig withPolicy(java.util.Map<String, String> p) {
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
                java.util.Map.copyOf(p),
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

    public AgentConfig withSensors(org.cyphon.agent.sensors.SensorSettings s) {
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
                s,
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

    public AgentConfig withSandbox(SandboxSettings s) {
        return new AgentConfig(
                name,
                coordinator,
                enrollToken,
                stateDir,
                cpuMillis,
                memoryBytes,
                s,
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

    /** These settings with another {@code [storage]} (what {@code cyphon up --config} applies). */
    public AgentConfig withStorage(org.cyphon.agent.files.StorageSettings s) {
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
                s,
                power,
                gpu,
                moreCoordinators);
    }

    public AgentConfig withOwner(String o) {
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
                o,
                trust,
                storage,
                power,
                gpu,
                moreCoordinators);
    }

    /** The same configuration with {@code [power]} as given. */
    public AgentConfig withPower(org.cyphon.agent.power.PowerConfig p) {
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
                p,
                gpu,
                moreCoordinators);
    }
}
