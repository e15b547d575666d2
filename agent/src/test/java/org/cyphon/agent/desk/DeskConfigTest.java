package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.config.AgentConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code [desk]} table of agent.toml, read through the agent's own config loader. */
class DeskConfigTest {
    @TempDir
    Path tmp;

    private AgentConfig load(String deskTable) throws Exception {
        Path f = tmp.resolve("agent.toml");
        Files.writeString(f, """
                name = "desk-12"
                state_dir = "/var/lib/cyphon/agent-desk-12"
                [desk]
                """ + deskTable);
        return AgentConfigLoader.load(f);
    }

    private void refused(String deskTable, String... saying) {
        assertThatThrownBy(() -> load(deskTable))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agent.toml")
                .hasMessageContainingAll(saying);
    }

    @Test
    void aFullTableIsRead() throws Exception {
        DeskConfig d = load("""
                name = "alice-pc"
                golden_image = "/srv/images/win11-2025-06.qcow2"
                overlay = "/var/lib/cyphon/alice/system.qcow2"
                user_data = "/var/lib/cyphon/alice/data.qcow2"
                vcpus = 4
                memory_max = "8G"
                memory_min = "2G"
                display = "none"
                network = "user"
                accel = "kvm"
                backend = "libvirt"
                libvirt_uri = "qemu:///system"
                """).desk();
        DeskSpec s = d.spec();
        assertThat(s.name()).isEqualTo("alice-pc");
        assertThat(s.goldenImage()).isEqualTo(Path.of("/srv/images/win11-2025-06.qcow2"));
        assertThat(s.overlay()).isEqualTo(Path.of("/var/lib/cyphon/alice/system.qcow2"));
        assertThat(s.userData()).isEqualTo(Path.of("/var/lib/cyphon/alice/data.qcow2"));
        assertThat(s.vcpus()).isEqualTo(4);
        assertThat(s.memoryMaxMiB()).isEqualTo(8192);
        assertThat(s.memoryMinMiB()).isEqualTo(2048);
        assertThat(s.display()).isEqualTo(DeskSpec.Display.none());
        assertThat(s.network()).isEqualTo(DeskSpec.Network.USER);
        assertThat(s.accel()).isEqualTo(Accel.KVM);
        assertThat(s.kernelBoot()).isNull();
        assertThat(d.backend()).isEqualTo(DeskBackend.LIBVIRT);
        assertThat(d.libvirtUri()).isEqualTo("qemu:///system");
        assertThat(d.stateDir()).isEqualTo(Path.of("/var/lib/cyphon/agent-desk-12/desk"));
    }

    @Test
    void theDefaultsMakeAQemuDeskNamedAfterTheMachineWithItsOverlayInTheAgentsState() throws Exception {
        DeskConfig d = load("""
                golden_image = "/srv/golden.qcow2"
                user_data = "/home/alice.qcow2"
                """).desk();
        DeskSpec s = d.spec();
        assertThat(s.name()).isEqualTo("desk-12");
        assertThat(s.overlay()).isEqualTo(Path.of("/var/lib/cyphon/agent-desk-12/desk/overlay.qcow2"));
        assertThat(s.vcpus()).isEqualTo(2);
        assertThat(s.memoryMaxMiB()).isEqualTo(4096);
        assertThat(s.memoryMinMiB()).isEqualTo(2048);
        assertThat(s.display().kind()).isEqualTo(DeskSpec.DisplayKind.NONE);
        assertThat(s.network()).isEqualTo(DeskSpec.Network.USER);
        assertThat(s.accel()).isEqualTo(Accel.AUTO);
        assertThat(d.backend()).isEqualTo(DeskBackend.QEMU);
    }

    @Test
    void aSpiceDisplayForTheSessionUserAndADirectKernelBootAreRead() throws Exception {
        DeskSpec s = load("""
                golden_image = "/g.qcow2"
                user_data = "/u.img"
                display = "spice"
                session_user = "alice"
                display_dir = "/run/desks/alice"
                monitors = 2
                kernel = "/boot/vmlinuz"
                initrd = "/boot/initrd"
                cmdline = "console=ttyS0"
                """).desk().spec();
        assertThat(s.display()).isEqualTo(DeskSpec.Display.spice(Path.of("/run/desks/alice"), "alice", 2));
        assertThat(s.display().socket()).isEqualTo(Path.of("/run/desks/alice/spice.sock"));
        assertThat(s.displayDescription())
                .isEqualTo("spice unix:/run/desks/alice/spice.sock (alice's desk session, 2 monitors)");
        assertThat(s.kernelBoot())
                .isEqualTo(new DeskSpec.KernelBoot(Path.of("/boot/vmlinuz"), Path.of("/boot/initrd"), "console=ttyS0"));
    }

    @Test
    void noDeskTableMeansNoDesk() throws Exception {
        Path f = tmp.resolve("plain.toml");
        Files.writeString(f, "name = \"m\"\n");
        assertThat(AgentConfigLoader.load(f).desk()).isNull();
    }

    @Test
    void aNameOrStateDirGivenOnTheCommandLineMovesTheDesksDefaults() throws Exception {
        AgentConfig c = load("""
                golden_image = "/g.qcow2"
                user_data = "/u.img"
                """).withName("other").withStateDir(Path.of("/srv/agent"));
        assertThat(c.desk().spec().name()).isEqualTo("other");
        assertThat(c.desk().stateDir()).isEqualTo(Path.of("/srv/agent/desk"));
        assertThat(c.desk().spec().overlay()).isEqualTo(Path.of("/srv/agent/desk/overlay.qcow2"));
    }

    @Test
    void everyBadValueStopsTheAgentNamingItsKey() {
        String files = "golden_image = \"/g.qcow2\"\nuser_data = \"/u.img\"\n";
        refused("user_data = \"/u.img\"\n", "key 'desk.golden_image'", "missing");
        refused("golden_image = \"/g.qcow2\"\n", "key 'desk.user_data'", "missing");
        refused(
                "golden_image = \"g.qcow2\"\nuser_data = \"/u.img\"\n",
                "key 'desk.golden_image'",
                "not an absolute path");
        refused(files + "vcpus = 0\n", "key 'desk.vcpus'", "between 1 and 256");
        refused(files + "vcpus = \"four\"\n", "desk.vcpus");
        refused(files + "memory_max = \"lots\"\n", "key 'desk.memory_max'", "not a size");
        refused(files + "memory_max = \"1G\"\nmemory_min = \"2G\"\n", "key 'desk.memory_min'", "more than memory_max");
        refused(files + "memory_max = \"1000000\"\n", "key 'desk.memory_max'", "whole number of MiB");
        refused(files + "display = \"rdp:3389\"\n", "key 'desk.display'", "none, spice");
        // The TCP displays of before: any local process could connect, a job too.
        refused(files + "display = \"vnc:5901\"\n", "key 'desk.display'", "TCP port", "display = \"spice\"");
        refused(files + "display = \"spice:5930\"\n", "key 'desk.display'", "TCP port");
        refused(files + "session_user = \"alice\"\n", "key 'desk.session_user'", "display = \"spice\"");
        refused(files + "display = \"spice\"\nmonitors = 9\n", "key 'desk.monitors'", "between 1 and 4");
        refused(files + "display = \"spice\"\nsession_user = \"Bob Smith\"\n", "key 'desk.session_user'");
        refused(
                files + "display = \"spice\"\nbackend = \"libvirt\"\n",
                "key 'desk.display'",
                "no desk session display yet");
        refused(files + "network = \"bridge\"\n", "key 'desk.network'", "none, user");
        refused(files + "accel = \"hvf\"\n", "key 'desk.accel'", "auto, kvm, tcg");
        refused(files + "backend = \"xen\"\n", "key 'desk.backend'", "qemu, libvirt");
        refused(files + "libvirt_uri = \"qemu:///system\"\n", "key 'desk.libvirt_uri'", "backend = \"libvirt\"");
        refused(files + "backend = \"libvirt\"\nlibvirt_uri = \"not a uri\"\n", "key 'desk.libvirt_uri'");
        refused(files + "initrd = \"/boot/initrd\"\n", "key 'desk.initrd'", "needs 'kernel'");
        refused(files + "name = \"no spaces\"\n", "key 'desk.name'");
        refused("golden_image = \"/g.qcow2\"\nuser_data = \"/g.qcow2\"\n", "key 'desk.user_data'", "disk of its own");
        refused(files + "colour = \"blue\"\n", "unknown key 'desk.colour'", "golden_image");
    }

    @Test
    void theDeskPlanKeysAreReadWithDefaultsThatSaveAtNightAndNeverCapTheOwner() throws Exception {
        String files = """
                golden_image = "/srv/golden.qcow2"
                user_data = "/srv/data.qcow2"
                """;
        var defaults = load(files).desk().plan();
        assertThat(defaults.hours()).isNotNull();
        assertThat(defaults.pauseAfterIdle()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(defaults.saveAfterIdle()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(defaults.overloadCpuFloor())
                .as("capping the owner's VM is opt-in")
                .isNull();

        var set = load(files + """
                hours = "off"
                time_zone = "Europe/Paris"
                restore_ahead = "20m"
                pause_after_idle = "5m"
                save_after_idle = "1h"
                overload_cpu_floor = "0.5"
                """).desk().plan();
        assertThat(set.hours()).isNull();
        assertThat(set.zone()).isEqualTo(java.time.ZoneId.of("Europe/Paris"));
        assertThat(set.restoreAhead()).isEqualTo(java.time.Duration.ofMinutes(20));
        assertThat(set.overloadCpuFloor()).isEqualTo(0.5);

        refused(files + "hours = \"someday\"\n", "desk.hours");
        refused(files + "time_zone = \"Mars/Olympus\"\n", "desk.time_zone");
        refused(files + "pause_after_idle = \"1h\"\nsave_after_idle = \"10m\"\n", "desk.save_after_idle");
        refused(files + "overload_cpu_floor = \"lots\"\n", "desk.overload_cpu_floor");
        refused(files + "overload_cpu_floor = \"-1\"\n", "desk.overload_cpu_floor");
    }
}
