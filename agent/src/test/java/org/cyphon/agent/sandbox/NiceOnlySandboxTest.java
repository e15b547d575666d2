package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sandbox without cgroups, as on a user's laptop where the agent is not root: forced through
 * the mode here (the test runs as root), and reached by detection from a cgroup root holding
 * nothing.
 */
class NiceOnlySandboxTest extends SandboxContract {

    @Override
    Sandbox makeSandbox() {
        return Sandboxes.detect(new SandboxSettings(Path.of("/sys/fs/cgroup"), "cyphon-unused", "nice-only"));
    }

    @Override
    void assertStoppedByTheKernel(String jobId, RunningJob job) {
        ProcessHandle main = ProcessHandle.of(job.pid()).orElseThrow();
        Stream.concat(Stream.of(main), main.descendants())
                .forEach(p ->
                        // A child that exited just before its parent stopped stays a zombie until thawed: not running
                        // either.
                        assertThat(ProcFacts.state(p.pid()))
                                .as("state of %d", p.pid())
                                .isIn('T', 't', 'Z'));
    }

    @Override
    void assertContainmentRemoved(String jobId) {
        // nice-only makes no cgroup; nothing may appear under the real hierarchies either.
        assertThat(Path.of("/sys/fs/cgroup/cpu/cyphon-unused")).doesNotExist();
    }

    @Override
    void removeCgroups() {}

    @Test
    void forcedNiceOnlySaysSo() {
        assertThat(sandbox.kind()).isEqualTo("nice-only");
        assertThat(sandbox.note())
                .isEqualTo(
                        "nice-only forced by settings; jobs run with SCHED_IDLE + nice 19 only, without memory limit");
    }

    @Test
    void detectionFallsBackToNiceOnlyWhenTheCgroupRootHoldsNoCgroupAndJobsStillRun() throws Exception {
        Path empty = Files.createDirectory(temp.resolve("no-cgroups"));
        Sandbox fallback = Sandboxes.detect(new SandboxSettings(empty, "cyphon", "auto"));

        assertThat(fallback.kind()).isEqualTo("nice-only");
        assertThat(fallback.note())
                .startsWith("no usable cgroup: ")
                .contains("no cgroup2 hierarchy at " + empty)
                .contains("no cgroup v1 cpu, cpuacct, memory, freezer hierarchy under " + empty)
                .endsWith("jobs run with SCHED_IDLE + nice 19 only, without memory limit");
        sandbox = fallback;
        JobExit end = endOf(start(dir.shell("fallback", "exit 7")));
        assertThat(end.exitCode()).isEqualTo(7);
    }
}
