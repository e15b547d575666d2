package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup v2 path of the desk VM's CPU group (cap, weight, accounting), which most desktops
 * take. This host's cgroup v2 hierarchy has no cpu controller (cpu is bound to v1), so the real
 * code runs against a directory laid out as the kernel lays out cgroup2 (control files the kernel
 * would create are created by the test); the v1 path is exercised against the real kernel by
 * {@link QemuDeskVmTest} and {@link DeskKeeperNightScheduleTest}.
 */
class DeskCpuGroupOnCgroup2ShapedTreeTest {
    @TempDir
    Path root;

    private void level(Path dir, String subtreeControl) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.writeString(dir.resolve("cgroup.subtree_control"), subtreeControl);
        Files.writeString(dir.resolve("cgroup.procs"), "");
        for (String f : new String[] {"cpu.max", "cpu.weight"}) Files.writeString(dir.resolve(f), "");
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
    }

    @Test
    void capWeightAndUsageUseTheV2ControlFiles_onACgroup2ShapedTreeBecauseThisHostHasNoV2CpuController()
            throws Exception {
        level(root, "cpu memory\n");
        level(root.resolve("cyphon.slice"), "");
        level(root.resolve("cyphon.slice/desk-d"), "");

        DeskCpuGroup g = DeskCpuGroup.open(root, "cyphon.slice", "desk-d");

        assertThat(Files.readString(root.resolve("cyphon.slice/cgroup.subtree_control")))
                .as("the parent hands the cpu controller down to the desk's group")
                .isEqualTo("+cpu");
        g.cap(0.5);
        assertThat(Files.readString(root.resolve("cyphon.slice/desk-d/cpu.max")))
                .isEqualTo("50000 100000");
        // A control file takes each write whole; a plain file keeps a longer earlier value's tail.
        Files.writeString(root.resolve("cyphon.slice/desk-d/cpu.max"), "");
        g.cap(null);
        assertThat(Files.readString(root.resolve("cyphon.slice/desk-d/cpu.max")))
                .isEqualTo("max 100000");
        g.weight(1000);
        assertThat(Files.readString(root.resolve("cyphon.slice/desk-d/cpu.weight")))
                .isEqualTo("1000");
        assertThat(g.usage()).isEqualTo(Duration.ofMillis(2500));
        assertThat(g.usageFile()).isEqualTo(root.resolve("cyphon.slice/desk-d/cpu.stat"));
    }

    @Test
    void aMissingCpuControllerIsNamed_onACgroup2ShapedTreeBecauseThisHostHasNoV2CpuController() throws Exception {
        level(root, "memory\n");
        level(root.resolve("cyphon.slice"), "");
        Path desk = root.resolve("cyphon.slice/desk-d");
        Files.createDirectories(desk);
        Files.writeString(desk.resolve("cgroup.subtree_control"), "");
        // No cpu.max: the controller is not enabled for the group, as the kernel shows it then.
        DeskCpuGroup g = DeskCpuGroup.open(root, "cyphon.slice", "desk-d");
        assertThatThrownBy(() -> g.cap(1.0))
                .isInstanceOf(DeskException.class)
                .hasMessageContaining("cpu.max")
                .hasMessageContaining("is the cpu controller enabled?");
    }

    @Test
    void v1SharesFollowTheV2WeightScale() {
        assertThat(DeskCpuGroup.sharesOf(100)).isEqualTo(1024);
        assertThat(DeskCpuGroup.sharesOf(1000)).isEqualTo(10240);
        assertThat(DeskCpuGroup.sharesOf(1)).as("the kernel's minimum").isEqualTo(10);
        assertThat(DeskCpuGroup.sharesOf(10_000)).isEqualTo(102_400);
    }
}
