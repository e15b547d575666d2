package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a cgroup sandbox promises beyond {@link SandboxContract}: a daemon that double-forks out of
 * both the job's session and its process tree is still caught, because it cannot leave the cgroup.
 */
abstract class CgroupSandboxContract extends SandboxContract {
    static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    /** A parent of our own per test, so tests never touch a real agent's groups or each other's. */
    final String parent = "cyphon-test-" + UUID.randomUUID().toString().substring(0, 8);

    static final String DAEMON =
            "( setsid sh -c 'trap \"\" TERM; echo $$ > daemon.pid; exec sleep 1000' >/dev/null 2>&1 & )\n";

    @Override
    void removeCgroups() throws Exception {
        CgroupCleanup.removeEverywhere(CGROUP_ROOT, parent);
    }

    @Test
    void killTakesADaemonThatLeftBothTheSessionAndTheTree() throws Exception {
        RunningJob job =
                start(dir.shell("daemon", "trap '' TERM\n" + DAEMON + "echo $$ > main.pid\nwhile :; do sleep 1; done"));
        List<Long> pids = awaitPids("main.pid", "daemon.pid");
        assertThat(ProcessHandle.of(pids.get(0)).orElseThrow().descendants().map(ProcessHandle::pid))
                .as("the daemon is no descendant of the job any more")
                .doesNotContain(pids.get(1));

        job.kill();

        assertThat(pids).noneMatch(ProcFacts::alive);
        assertThat(endOf(job).signal()).isEqualTo(9);
    }

    @Test
    void aDaemonLeftBehindByAnExitingJobDiesWithIt() throws Exception {
        RunningJob job =
                start(dir.shell("daemonexit", DAEMON + "while [ ! -s daemon.pid ]; do sleep 0.05; done\nexit 0"));

        JobExit end = endOf(job);

        assertThat(end.exitCode()).isZero();
        assertThat(ProcFacts.alive(dir.number("daemon.pid"))).isFalse();
        assertContainmentRemoved("daemonexit");
    }

    @Test
    void aNewSandboxReapsJobsLeftRunningByACrashedAgent() throws Exception {
        start(dir.shell("orphan", "trap '' TERM\n" + DAEMON + "echo $$ > main.pid\nwhile :; do sleep 1; done"));
        List<Long> pids = awaitPids("main.pid", "daemon.pid");

        // The agent that started it is gone (we simply drop our handle); the next agent start detects again.
        Sandbox next = makeSandbox();
        int reaped = next.reapLeftovers();

        assertThat(reaped).isEqualTo(1);
        assertThat(pids).noneMatch(ProcFacts::alive);
        assertContainmentRemoved("orphan");
        assertThat(next.reapLeftovers()).as("nothing left the second time").isZero();
    }
}
