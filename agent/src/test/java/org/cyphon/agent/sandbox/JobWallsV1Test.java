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
}
