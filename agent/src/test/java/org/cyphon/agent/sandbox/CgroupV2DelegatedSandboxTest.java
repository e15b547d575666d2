package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent in a cgroup delegated to it, as under {@code cyphon-agent.service} with
 * {@code Delegate=yes}: every sandbox promise, with the agent moved into {@code OWN/agent} and the
 * jobs in {@code OWN/jobs/ID}, on this machine's real cgroup2 hierarchy.
 *
 * <p>What cannot be real here: systemd itself (this machine runs none), so the test plays it: it
 * makes the unit's group {@code /sys/fs/cgroup/unified/TEST/cyphon-agent.service} and puts the
 * agent (this test JVM, the process that detects and moves itself) into it, as systemd would before
 * exec'ing the agent; and the cpu, memory and io controllers, which this hybrid host binds to cgroup
 * v1, so the v2 hierarchy offers only hugetlb. Group creation, the agent's move, joining, freezing,
 * {@code cgroup.kill}, CPU accounting and removal are real; the controllers' limits are not.
 */
class CgroupV2DelegatedSandboxTest extends CgroupSandboxContract {
    static final Path UNIFIED = CGROUP_ROOT.resolve("unified");

    /** Where the JVM was before the test moved it, so it can go back. */
    private String before;

    private Path unit() {
        return UNIFIED.resolve(parent).resolve("cyphon-agent.service");
    }

    @Override
    Sandbox makeSandbox() throws Exception {
        if (before == null) {
            before = AgentCgroup.v2Path();
            Files.createDirectories(unit());
            moveThisJvmTo(unit());
        }
        return Sandboxes.detect(new SandboxSettings(CGROUP_ROOT, "cyphon/ignored-when-delegated", "cgroup-v2"));
    }

    @Override
    void removeCgroups() throws Exception {
        if (before != null) moveThisJvmTo(UNIFIED.resolve(before.substring(1)));
        super.removeCgroups();
    }

    Path group(String jobId) {
        return unit().resolve("jobs").resolve(jobId);
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
    void theAgentMovesIntoItsLeafAndJobsRunBesideIt_withoutCpuMemoryIoControllersAndWithTheTestPlayingSystemd()
            throws Exception {
        String unitPath = "/" + parent + "/cyphon-agent.service";
        assertThat(AgentCgroup.v2Path()).isEqualTo(unitPath + "/agent");
        assertThat(CgroupFile.pids(unit().resolve("cgroup.procs")))
                .as("no process left in an inner group")
                .isEmpty();
        assertThat(DelegatedCgroup.subtreeOfAgentLeaf(UNIFIED, AgentCgroup.v2Path()))
                .as("the owner-pressure sensor counts the whole unit as ours")
                .isEqualTo(unitPath);
        assertThat(UNIFIED.resolve("cyphon"))
                .as("nothing made outside the delegated group")
                .doesNotExist();

        RunningJob job = start(dir.shell(
                "j1", "trap '' TERM\n" + DAEMON + "echo $$ > main.pid\nwhile :; do echo x >> ticks; sleep 0.05; done"));
        List<Long> pids = awaitPids("main.pid", "daemon.pid");
        assertThat(CgroupFile.pids(group("j1").resolve("cgroup.procs"))).containsAll(pids);

        job.freeze();
        assertThat(Files.readAllLines(group("j1").resolve("cgroup.events"))).contains("frozen 1");
        job.thaw();
        long size = Files.size(dir.work().resolve("ticks"));
        await().atMost(PATIENCE).until(() -> Files.size(dir.work().resolve("ticks")) > size);

        job.kill();
        assertThat(pids).noneMatch(ProcFacts::alive);
        assertThat(endOf(job).signal()).isEqualTo(9);
        assertThat(group("j1")).doesNotExist();
    }

    /**
     * systemd's ExecStopPost= after an agent died with a job running: the job dies, its group goes,
     * and controllers enabled for the unit's children are turned off, so systemd can put the next
     * agent into the unit's group. This host's v2 hierarchy offers only hugetlb, so hugetlb stands in
     * for cpu and memory: enabled in the unit's group, it makes the kernel refuse a process there
     * (EBUSY, what systemd hits as "Failed at step CGROUP") exactly as cpu and memory do.
     */
    @Test
    void stopPostKillsLeftoverJobsAndHandsTheUnitsGroupBackSoTheNextAgentCanStart_hugetlbStandingInForCpu()
            throws Exception {
        start(dir.shell("left", "trap '' TERM\n" + DAEMON + "echo $$ > main.pid\nwhile :; do sleep 1; done"));
        List<Long> pids = awaitPids("main.pid", "daemon.pid");
        boolean rootHadHugetlb = enabled(UNIFIED).contains("hugetlb");
        try {
            for (Path g : List.of(UNIFIED, UNIFIED.resolve(parent), unit())) enable(g, "hugetlb");
            // The agent "dies" (its jobs stay, as with KillMode=process); systemd runs ExecStopPost in .control.
            Path control = unit().resolve(".control");
            Files.createDirectories(control);
            moveThisJvmTo(control);
            Process next = new ProcessBuilder("sleep", "60").start();
            try {
                assertThatThrownBy(() -> CgroupFile.write(unit().resolve("cgroup.procs"), Long.toString(next.pid())))
                        .as("what systemd hits when it starts the next agent")
                        .isInstanceOf(IOException.class);

                List<String> done = DelegatedCgroup.release(UNIFIED, AgentCgroup.v2Path());

                assertThat(done).anyMatch(l -> l.contains("left")).anyMatch(l -> l.contains("turned off hugetlb"));
                assertThat(pids).noneMatch(ProcFacts::alive);
                assertThat(unit().resolve("jobs")).doesNotExist();
                assertThat(enabled(unit())).isEmpty();
                CgroupFile.write(unit().resolve("cgroup.procs"), Long.toString(next.pid()));
                assertThat(CgroupFile.pids(unit().resolve("cgroup.procs"))).contains(next.pid());
            } finally {
                next.destroyForcibly().waitFor();
            }
        } finally {
            moveThisJvmTo(UNIFIED.resolve(before.substring(1)));
            removeCgroups();
            if (!rootHadHugetlb) Files.writeString(UNIFIED.resolve("cgroup.subtree_control"), "-hugetlb");
        }
    }

    @Test
    void releaseOutsideADelegatedUnitsControlGroupDoesNothing() throws Exception {
        assertThat(DelegatedCgroup.release(UNIFIED, AgentCgroup.v2Path()))
                .singleElement()
                .asString()
                .contains("nothing to release");
        assertThat(unit().resolve("jobs")).exists();
    }

    private static void moveThisJvmTo(Path group) throws IOException {
        Files.writeString(
                group.resolve("cgroup.procs"),
                Long.toString(ProcessHandle.current().pid()),
                StandardOpenOption.WRITE);
    }

    private static String enabled(Path group) throws IOException {
        return Files.readString(group.resolve("cgroup.subtree_control")).strip();
    }

    private static void enable(Path group, String controller) throws IOException {
        if (!enabled(group).contains(controller))
            Files.writeString(group.resolve("cgroup.subtree_control"), "+" + controller, StandardOpenOption.WRITE);
    }
}
