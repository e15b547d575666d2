package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cgroup v2 code path on this machine's hybrid layout: a cgroup2 hierarchy at
 * {@code /sys/fs/cgroup/unified} that has no cpu, memory or io controller (those are bound to v1)
 * but whose groups do have {@code cgroup.freeze}, {@code cgroup.kill} and {@code cpu.stat}. So this
 * exercises group creation, joining, freezing, killing, CPU accounting and removal for real; the
 * controller settings (cpu.idle, memory.max, io.weight) cannot be exercised here.
 */
class CgroupV2HybridSandboxTest extends CgroupSandboxContract {
    static final Path UNIFIED = CGROUP_ROOT.resolve("unified");

    @Override
    Sandbox makeSandbox() {
        return Sandboxes.detect(new SandboxSettings(CGROUP_ROOT, parent, "cgroup-v2"));
    }

    Path group(String jobId) {
        return UNIFIED.resolve(parent).resolve(jobId);
    }

    @Override
    void assertStoppedByTheKernel(String jobId, RunningJob job) throws Exception {
        assertThat(Files.readAllLines(group(jobId).resolve("cgroup.events"))).contains("frozen 1");
    }

    @Override
    void assertContainmentRemoved(String jobId) {
        assertThat(group(jobId)).doesNotExist();
    }

    @Test
    void v2FreezeAndKillOnHybridHierarchyWithoutCpuController() throws Exception {
        assertThat(sandbox.kind()).isEqualTo("cgroup-v2");
        assertThat(sandbox.note()).contains("lacks the cpu controller").contains("lacks the memory controller");
        Path ticks = dir.work().resolve("ticks");
        RunningJob job = start(dir.shell(
                "v2", "trap '' TERM\n" + DAEMON + "echo $$ > main.pid\nwhile :; do echo x >> ticks; sleep 0.05; done"));
        List<Long> pids = awaitPids("main.pid", "daemon.pid");
        List<String> members = Files.readAllLines(group("v2").resolve("cgroup.procs"));
        assertThat(members).contains(Long.toString(pids.get(0)), Long.toString(pids.get(1)));

        job.freeze();
        assertThat(Files.readAllLines(group("v2").resolve("cgroup.events"))).contains("frozen 1");
        long frozenSize = Files.size(ticks);
        Thread.sleep(600); // not a wait for a state: a dozen ticks' time in which a frozen job must not tick
        assertThat(Files.size(ticks)).isEqualTo(frozenSize);
        job.thaw();
        assertThat(Files.readAllLines(group("v2").resolve("cgroup.events"))).contains("frozen 0");
        await().atMost(PATIENCE).until(() -> Files.size(ticks) > frozenSize);

        job.kill();

        assertThat(pids).noneMatch(ProcFacts::alive);
        JobExit end = endOf(job);
        assertThat(end.signal()).isEqualTo(9);
        assertThat(end.cpuSeconds()).isGreaterThan(0);
        assertThat(group("v2")).doesNotExist();
    }
}
