package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox on this machine's real cgroup v1 hierarchies (cpu with cpu.idle, cpuacct, memory, freezer, blkio, pids, devices). */
class CgroupV1SandboxTest extends CgroupSandboxContract {
    static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "memory", "freezer", "blkio", "pids", "devices");

    @Override
    Sandbox makeSandbox() {
        return Sandboxes.detect(new SandboxSettings(CGROUP_ROOT, parent, "cgroup-v1"));
    }

    Path group(String controller, String jobId) {
        return CGROUP_ROOT.resolve(controller).resolve(parent).resolve(jobId);
    }

    @Override
    void assertStoppedByTheKernel(String jobId, RunningJob job) throws Exception {
        assertThat(Files.readString(group("freezer", jobId).resolve("freezer.state"))
                        .trim())
                .isEqualTo("FROZEN");
    }

    @Override
    void assertContainmentRemoved(String jobId) {
        for (String c : CONTROLLERS) assertThat(group(c, jobId)).doesNotExist();
    }

    @Test
    void isAFullyIsolatedV1Sandbox() {
        assertThat(sandbox.kind()).isEqualTo("cgroup-v1");
        assertThat(sandbox.note()).isEmpty();
        assertThat(Path.of("/sys/fs/cgroup/cpu", parent, "cpu.idle")).hasContent("1");
    }

    @Test
    void everyControllerHoldsTheJobAndItsGroupsHoldTheRequest() throws Exception {
        RunningJob job = start(dir.shell("limits", "echo $$ > main.pid; exec sleep 1000"));
        long pid = awaitPids("main.pid").get(0);

        for (String c : CONTROLLERS) {
            assertThat(Files.readAllLines(group(c, "limits").resolve("cgroup.procs")))
                    .as(c)
                    .contains(Long.toString(pid));
        }
        Map<String, String> expected = Map.of(
                "memory/memory.limit_in_bytes",
                Long.toString(JobDir.MEMORY),
                "memory/memory.memsw.limit_in_bytes",
                Long.toString(JobDir.MEMORY),
                "cpu/cpu.idle",
                "1",
                "cpu/cpu.cfs_quota_us",
                "100000"); // 1000 millicpus of a 100000 us period
        expected.forEach((file, value) -> {
            String[] cf = file.split("/");
            assertThat(group(cf[0], "limits").resolve(cf[1])).as(file).hasContent(value);
        });
        job.kill();
    }

    @Test
    void lingerLimitsGoOnTheJobsMemoryAndBlkioGroupsAndComeOffAgain() throws Exception {
        RunningJob job = start(dir.shell("linger", "echo $$ > main.pid; exec sleep 1000"));
        awaitPids("main.pid");
        List<String> disks = BlockDevices.majorMinors(Path.of("/sys/block"));
        assertThat(disks).as("this machine's disks").isNotEmpty().noneMatch(d -> d.startsWith("7:")); // no loop devices

        job.linger(new LingerLimits(16L << 20, 20_000_000));
        assertThat(group("memory", "linger").resolve("memory.soft_limit_in_bytes"))
                .hasContent(Long.toString(16L << 20));
        for (String disk : disks) {
            assertThat(Files.readString(group("blkio", "linger").resolve("blkio.throttle.read_bps_device")))
                    .contains(disk + " 20000000");
            assertThat(Files.readString(group("blkio", "linger").resolve("blkio.throttle.write_bps_device")))
                    .contains(disk + " 20000000");
        }

        job.linger(null);
        // The kernel shows "unlimited" as the largest page-aligned value, and a lifted throttle as no line.
        assertThat(Long.parseLong(Files.readString(group("memory", "linger").resolve("memory.soft_limit_in_bytes"))
                        .strip()))
                .isGreaterThan(1L << 60);
        assertThat(Files.readString(group("blkio", "linger").resolve("blkio.throttle.write_bps_device"))
                        .strip())
                .isEmpty();
        job.kill();
    }

    @Test
    void aLingeringJobsDiskWritesAreHeldToTheIoCap() throws Exception {
        // Direct I/O, so the page cache cannot absorb the writes: 8 MiB at 2 MB/s takes about 4 s.
        String write = "dd if=/dev/zero of=data bs=1M count=8 oflag=direct 2>/dev/null; date +%s%N > done";
        RunningJob free = start(dir.shell("unthrottled", "date +%s%N > began; " + write));
        endOf(free);
        long unthrottled = elapsedMillis("began", "done");

        RunningJob held = start(dir.shell(
                "throttled",
                "echo $$ > main.pid; while [ ! -e go ]; do sleep 0.05; done; date +%s%N > began; " + write));
        awaitPids("main.pid");
        held.linger(new LingerLimits(JobDir.MEMORY, 2_000_000));
        Files.writeString(dir.work().resolve("go"), "");
        endOf(held);
        long throttled = elapsedMillis("began", "done");

        assertThat(throttled)
                .as("8 MiB at 2 MB/s (unthrottled: %d ms)", unthrottled)
                .isGreaterThan(3_000);
        assertThat(unthrottled).as("the same write unthrottled").isLessThan(throttled / 2);
    }

    private long elapsedMillis(String from, String to) throws Exception {
        long a = Long.parseLong(Files.readString(dir.work().resolve(from)).strip());
        long b = Long.parseLong(Files.readString(dir.work().resolve(to)).strip());
        return (b - a) / 1_000_000;
    }

    @Test
    void aJobFarOverItsMemoryLimitIsOomKilledAndTheExitSaysSo() throws Exception {
        LaunchSpec base = dir.shell("oom", "head -c 512M /dev/zero | tail");
        LaunchSpec small = new LaunchSpec(
                base.id(),
                base.command(),
                base.env(),
                base.workDir(),
                base.stdoutFile(),
                base.stderrFile(),
                1000,
                32L << 20,
                null);

        RunningJob job = start(small);
        JobExit end = endOf(job);

        assertThat(end.signal()).isEqualTo(9);
        assertThat(end.message()).isEqualTo("killed by the kernel OOM killer: memory limit 32M exceeded");
        assertContainmentRemoved("oom");
    }
}
