package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The walls on this machine's cgroup v1 hierarchies, where pids.max holds a fork bomb. */
class JobWallsV1Test extends JobWallsContract {
    @Override
    String mode() {
        return "cgroup-v1";
    }

    @Test
    void aForkBombStopsAtPidsMax() throws Exception {
        String bomb = """
                python3 -c '
                import os, time
                n = 0
                try:
                    for _ in range(5000):
                        if os.fork() == 0:
                            time.sleep(600); os._exit(0)
                        n += 1
                except OSError as e:
                    print("stopped", n, e.errno)
                '
                """;
        JobExit end = endOf(start("alice", "bomb", bomb));

        assertThat(end.exitCode()).isZero();
        String[] words = out("bomb").trim().split(" ");
        assertThat(words[0]).isEqualTo("stopped");
        assertThat(Integer.parseInt(words[1])).isLessThan(SandboxSettings.DEFAULT_PIDS_MAX);
    }

    @Test
    void theDeviceCgroupRefusesTheOtherGpuByNumberWhateverItsPath() throws Exception {
        assertThat(sandbox.deviceWall()).isEqualTo(DeviceWall.CGROUP);
        try (var fake = org.cyphon.agent.gpu.FakeNvidiaGpus.create(java.nio.file.Path.of("/srv"), 2)) {
            // Another node with GPU 1's number, outside the device directory: a path wall would miss it.
            java.nio.file.Path alias = fake.dir.resolve("alias1");
            Process mknod = new ProcessBuilder(
                            "mknod", "-m", "0666", alias.toString(), "c", Integer.toString(fake.major), "1")
                    .start();
            assertThat(mknod.waitFor()).isZero();
            var hidden = org.cyphon.agent.gpu.NvidiaNodes.scan(fake.devDir).hiddenFrom(java.util.Set.of(0));

            endOf(start(
                    "alice",
                    "alias",
                    "set -- " + alias + " " + fake.node("nvidia0") + "\n" + OPEN_EACH,
                    1L << 30,
                    "host",
                    hidden));

            var got = opened("alias");
            assertThat(got.get("alias1")).as(got.toString()).isEqualTo("EPERM");
            assertThat(got.get("nvidia0")).as(got.toString()).isEqualTo("ENXIO");
        }
    }
}
