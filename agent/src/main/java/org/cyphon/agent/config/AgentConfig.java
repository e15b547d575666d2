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
        org.cyphon.agent.checkpoint.CheckpointSettings checkpoint) {

    public AgentConfig withName(String n) {
        return new AgentConfig(n, coordinator, enrollToken, stateDir, cpuMillis, memoryBytes, sandbox, jobUser, uploadEvery, sensors, policy, checkpoint);
    }

    public AgentConfig withCoordinator(URI c, String token) {
        return new AgentConfig(name, c, token, stateDir, cpuMillis, memoryBytes, sandbox, jobUser, uploadEvery, sensors, policy, checkpoint);
    }

    public AgentConfig withStateDir(Path d) {
        return new AgentConfig(name, coordinator, enrollToken, d, cpuMillis, memoryBytes, sandbox, jobUser, uploadEvery, sensors, policy, checkpoint);
    }

    /** The {@code [policy]} table of another file (what {@code cyphon up --config} applies). */
    public AgentConfig withPolicy(java.util.Map<String, String> p) {
        return new AgentConfig(name, coordinator, enrollToken, stateDir, cpuMillis, memoryBytes, sandbox, jobUser, uploadEvery, sensors, java.util.Map.copyOf(p), checkpoint);
    }

    public AgentConfig withSensors(org.cyphon.agent.sensors.SensorSettings s) {
        return new AgentConfig(name, coordinator, enrollToken, stateDir, cpuMillis, memoryBytes, sandbox, jobUser, uploadEvery, s, policy, checkpoint);
    }

    public AgentConfig withSandbox(SandboxSettings s) {
        return new AgentConfig(name, coordinator, enrollToken, stateDir, cpuMillis, memoryBytes, s, jobUser, uploadEvery, sensors, policy, checkpoint);
    }
}
