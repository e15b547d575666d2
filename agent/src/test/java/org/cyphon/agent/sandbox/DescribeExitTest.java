package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How observed endings become {@link JobExit}s: pure data in, record out. */
class DescribeExitTest {
    static final long MEM = 512L << 20;

    @Test
    void aNormalExitKeepsItsCodeAndHasNoMessage() {
        assertThat(DescribeExit.of(0, false, 0, MEM, 1.5, null)).isEqualTo(new JobExit(0, null, 1.5, null));
        assertThat(DescribeExit.of(128, false, 0, MEM, 0, null)).isEqualTo(new JobExit(128, null, 0, null));
        assertThat(DescribeExit.of(200, false, 0, MEM, 0, null)).isEqualTo(new JobExit(200, null, 0, null));
    }

    @Test
    void statusAbove128IsTheSignalAndIsNamed() {
        assertThat(DescribeExit.of(143, false, 0, MEM, 0, null))
                .isEqualTo(new JobExit(null, 15, 0, "killed by signal 15 (SIGTERM)"));
        assertThat(DescribeExit.of(128 + 40, false, 0, MEM, 0, null))
                .isEqualTo(new JobExit(null, 40, 0, "killed by signal 40"));
    }

    @Test
    void theOomKillerWinsOverEverythingElseAndNamesTheLimit() {
        assertThat(DescribeExit.of(137, true, 1, MEM, 2, null).message())
                .isEqualTo("killed by the kernel OOM killer: memory limit 512M exceeded");
        assertThat(DescribeExit.of(1, false, 2, MEM, 2, null))
                .isEqualTo(new JobExit(
                        1, null, 2, "2 of its processes killed by the kernel OOM killer: memory limit 512M exceeded"));
    }

    @Test
    void aRequestedKillSaysSoAndACleanupFailureIsAppended() {
        assertThat(DescribeExit.of(137, true, 0, MEM, 0, null)).isEqualTo(new JobExit(null, 9, 0, "killed on request"));
        assertThat(DescribeExit.of(0, true, 0, MEM, 0, "cannot remove cgroup x").message())
                .isEqualTo("sandbox cleanup failed: cannot remove cgroup x");
        assertThat(DescribeExit.of(137, true, 0, MEM, 0, "busy").message())
                .isEqualTo("killed on request; sandbox cleanup failed: busy");
    }
}
