package org.cyphon.agent;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.config.AgentConfigLoader;
import org.cyphon.agent.sandbox.CgroupCleanup;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.agent.sandbox.Sandbox;
import org.cyphon.agent.sandbox.Sandboxes;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.protocol.WorkReply;

/**
 * An agent assembled against a {@link FakeCoordinator}, its loops not started: a test drives the
 * work loop and the heartbeat one step at a time. Everything else is the agent's own: the sandbox
 * this machine has (jobs run as real processes, as {@code nobody} under root), the owner-first loop
 * with its sensors, real files in a temporary state directory.
 */
final class TestDesk implements AutoCloseable {
    /** Generous: jobs run at idle priority, and the machine may be busy with other builds. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final String name =
            "agent-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    final String cgroupParent = "cyphon-" + name;
    final Path stateDir;
    final FakeCoordinator coordinator;
    final Agent agent;
    private long nextToken = 100;

    /**
     * @param dir          a temporary directory of the test's
     * @param policyTable  the body of {@code [policy]}
     */
    TestDesk(Path dir, String policyTable) throws Exception {
        this(dir, policyTable, null, "", "");
    }

    /**
     * @param logindBus the D-Bus address of a test logind the agent watches for power-offs and
     *                  sleeps (its sessions too); null: no logind
     */
    TestDesk(Path dir, String policyTable, String logindBus) throws Exception {
        this(dir, policyTable, logindBus, "", "");
    }

    /**
     * @param sensorKeys  more keys of {@code [sensors]} ({@code dbus_address = "..."})
     * @param moreTables  more tables after {@code [policy]} ({@code [power]} ...)
     */
    TestDesk(Path dir, String policyTable, String sensorKeys, String moreTables) throws Exception {
        this(dir, policyTable, null, sensorKeys, moreTables);
    }

    private TestDesk(Path dir, String policyTable, String logindBus, String sensorKeys, String moreTables)
            throws Exception {
        // JUnit makes temp dirs 0700, which the job user could not search.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        stateDir = dir.resolve("state");
        Path toml = dir.resolve("agent.toml");
        Files.writeString(toml, """
                name = "%s"
                coordinator = "http://127.0.0.1:9"
                enroll_token = "pool-secret"
                state_dir = "%s"
                cpus = 2
                memory = "1G"
                [sandbox]
                cgroup_parent = "%s"
                slot_prefix = "%s"
                max_jobs = 4
                [sensors]
                evdev = false
                x11 = false
                %s
                gpu = false
                sample_every = "200ms"
                %s
                [checkpoint]
                grace = "20s"
                settle = "300ms"
                criu = "off"
                [output]
                upload_every = "200ms"
                [policy]
                %s
                %s
                """.formatted(
                        name,
                        stateDir,
                        cgroupParent,
                        slotPrefix,
                        logindBus == null ? "logind = false" : "dbus_address = \"" + logindBus + "\"",
                        sensorKeys,
                        policyTable,
                        moreTables));
        // It holds the enrollment token inline: the loader refuses it readable by others.
        Files.setPosixFilePermissions(toml, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        AgentConfig config = AgentConfigLoader.load(toml);
        coordinator = new FakeCoordinator(Clock.systemUTC(), Files.createDirectory(dir.resolve("coordinator")));
        var s = config.sandbox();
        Sandbox sandbox = Sandboxes.detect(s.withParent(s.parent() + "/" + config.name()));
        agent = Agent.assemble(config, sandbox, coordinator, Clock.systemUTC());
    }

    /** Slot accounts of this desk's own (removed on close), never the machine's real cyphon-slotN. */
    final String slotPrefix = "cyt" + java.util.UUID.randomUUID().toString().substring(0, 6) + "-";

    /** A job running {@code sh -c script}, as the coordinator would assign it. */
    WorkAssignment job(long jobId, String script, Long checkpointEverySeconds, boolean hasCheckpoint) {
        return job(jobId, script, checkpointEverySeconds, hasCheckpoint, null);
    }

    private WorkAssignment job(
            long jobId, String script, Long checkpointEverySeconds, boolean hasCheckpoint, Integer gpus) {
        return new WorkAssignment(
                jobId,
                1,
                nextToken++,
                "test",
                "alice",
                List.of("sh", "-c", script),
                Map.of(),
                0,
                0.5,
                64L << 20,
                null,
                checkpointEverySeconds,
                85,
                hasCheckpoint,
                null,
                null,
                null,
                null,
                gpus);
    }

    WorkAssignment job(long jobId, String script) {
        return job(jobId, script, null, false);
    }

    /** A job asking for {@code gpus} GPUs. */
    WorkAssignment gpuJob(long jobId, String script, int gpus) {
        return job(jobId, script, null, false, gpus);
    }

    /** What one long poll would bring. */
    void assign(WorkAssignment... work) {
        agent.workLoop().take(new WorkReply(List.of(work)));
    }

    LocalAttempt attempt(WorkAssignment w) {
        return agent.attempts().get(w.fencingToken());
    }

    /** Waits until the attempt's job has started. */
    RunningJob awaitStarted(WorkAssignment w) {
        await().atMost(PATIENCE).until(() -> attempt(w) != null && attempt(w).hasLiveJob());
        return attempt(w).job();
    }

    /** Waits until the attempt's job is gone and its report is ready. */
    void awaitEnded(WorkAssignment w) {
        await().atMost(PATIENCE).until(() -> attempt(w) != null && attempt(w).finished());
    }

    /** The report the coordinator got for an attempt, once the agent has sent it. */
    org.cyphon.core.protocol.AttemptReport reportOf(WorkAssignment w) {
        return coordinator.reports().stream()
                .filter(r -> r.fencingToken() == w.fencingToken())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no report for " + w.fencingToken()));
    }

    /** Ends whatever the test left running, reports it, and lets go of the agent and its cgroups. */
    @Override
    public void close() throws Exception {
        try {
            // A job still launching is killed once it has started: kill again until every attempt has ended.
            await().atMost(PATIENCE).until(() -> {
                for (LocalAttempt a : agent.attempts().all()) {
                    RunningJob job = a.job();
                    if (job != null) job.kill();
                }
                return agent.attempts().all().stream().allMatch(LocalAttempt::finished);
            });
            agent.heartbeats().sendReports();
            agent.close();
        } finally {
            CgroupCleanup.removeEverywhere(Path.of("/sys/fs/cgroup"), cgroupParent);
            org.cyphon.agent.sandbox.TestSlotAccounts.removeAll(slotPrefix, 8);
        }
    }
}
