package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The libvirt backend against a real libvirtd ({@code qemu:///system}) running the test guest under
 * TCG: the same life as the QEMU backend's tests, through virsh.
 *
 * <p>libvirtd runs here without systemd: when no daemon answers and the test runs as root, it starts
 * {@code virtlogd -d} and {@code libvirtd -d} itself (Debian's libvirt-daemon-system provides them;
 * .ci/run installs it). libvirt runs QEMU as its own user, so the guest's files are copied into a
 * directory that user can read.
 */
class LibvirtDeskVmTest {
    private static final String URI = "qemu:///system";
    private static Path dir;
    private static DeskSpec spec;
    private static LibvirtDeskVm vm;
    private static DeskHost host;

    @BeforeAll
    static void defineTheDesk() throws Exception {
        LibvirtDaemon.ensureRunning(URI);
        TestGuest guest = TestGuest.build();
        host = TestGuest.host("cyphon-desk");
        dir = Files.createTempDirectory("libvirt-desk");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path f : List.of(guest.kernel(), guest.initrd(), guest.golden(), guest.userDataTemplate())) {
            Files.copy(f, dir.resolve(f.getFileName()));
        }
        spec = new DeskSpec(
                "lv" + UUID.randomUUID().toString().substring(0, 8),
                dir.resolve("golden.qcow2"),
                dir.resolve("overlay.qcow2"),
                dir.resolve("userdata.img"),
                1,
                128,
                64,
                DeskSpec.Display.none(),
                DeskSpec.Network.NONE,
                Accel.TCG,
                new DeskSpec.KernelBoot(dir.resolve("vmlinuz"), dir.resolve("initrd.cpio"), guest.cmdline()));
        vm = new LibvirtDeskVm(spec, dir.resolve("state"), host, URI);
    }

    @AfterAll
    static void undefineTheDesk() throws Exception {
        if (vm != null) {
            LibvirtDaemon.virsh(URI, "destroy", vm.domainName());
            LibvirtDaemon.virsh(URI, "undefine", "--managed-save", vm.domainName());
        }
        LibvirtDaemon.stopIfStarted();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aDeskLivesItsWholeLifeUnderLibvirt() throws Exception {
        assertThat(vm.status().state()).isEqualTo(DeskVmState.STOPPED);
        assertThatThrownBy(vm::pause).isInstanceOf(DeskException.class).hasMessageContaining("not running");

        vm.start();
        awaitGuestReady();
        DeskVmStatus s = vm.status();
        assertThat(s.state()).isEqualTo(DeskVmState.RUNNING);
        assertThat(s.accel()).isEqualTo(Accel.TCG);
        assertThat(s.qemuStatus()).startsWith("running");
        assertThat(s.cgroup()).contains("libvirt");
        assertThat(vm.consoleCommand()).isEqualTo("virsh -c qemu:///system console " + vm.domainName());
        assertThatThrownBy(vm::start)
                .isInstanceOf(DeskException.class)
                .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.REFUSED));

        vm.pause();
        assertThat(vm.status().state()).isEqualTo(DeskVmState.PAUSED);
        vm.resume();
        assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);

        byte[] png = vm.screenshot();
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");

        vm.setCpuCap(0.5);
        assertThat(LibvirtDaemon.virsh(URI, "schedinfo", vm.domainName())).contains("global_quota   : 50000");
        vm.setBalloon(100);
        assertThat(vm.status().cpuCapCores()).isEqualTo(0.5);
        assertThatThrownBy(() -> vm.setBalloon(16))
                .isInstanceOf(DeskException.class)
                .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.INVALID));

        vm.save();
        s = vm.status();
        assertThat(s.state()).isEqualTo(DeskVmState.SAVED);
        assertThat(s.savedAt()).isNotNull();
        assertThat(s.pid()).isNull();
        assertThatThrownBy(() -> vm.reimage(false))
                .isInstanceOf(DeskException.class)
                .hasMessageContaining("saved state");

        // A new agent finds the saved desk where the old one left it, and restores it.
        vm = new LibvirtDeskVm(spec, dir.resolve("state"), host, URI);
        vm.restore();
        assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
        assertThat(LibvirtDaemon.virsh(URI, "schedinfo", vm.domainName())).contains("global_quota   : 50000");

        assertThatThrownBy(() -> vm.reimage(false))
                .isInstanceOf(DeskException.class)
                .hasMessageContaining("is running");
        assertThat(vm.stop(Duration.ofSeconds(60))).isEqualTo(StopOutcome.SHUT_DOWN);
        assertThat(vm.status().state()).isEqualTo(DeskVmState.STOPPED);
        assertThat(vm.stop(Duration.ofSeconds(5))).isEqualTo(StopOutcome.WAS_STOPPED);

        vm.reimage(false);
        assertThat(vm.status().undoAvailable()).isTrue();
        vm.undoReimage(false);

        vm.start(); // defines the domain again (same UUID) from the desk's spec
        assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
        vm.poweroff(true);
        assertThat(vm.status().state()).isEqualTo(DeskVmState.STOPPED);
    }

    private static void awaitGuestReady() throws Exception {
        Path log = vm.serialLog();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(log)
                            && Files.readString(log, StandardCharsets.ISO_8859_1)
                                    .contains("CYPHON-GUEST READY"));
            return;
        } catch (ConditionTimeoutException e) {
            // said below, with the serial log
        }
        fail("the guest did not boot under libvirt within 60 s; serial log: "
                + (Files.exists(log) ? Files.readString(log) : "(none)"));
    }

    /** A libvirtd to talk to: the one running, or one this test starts (as root, without systemd). */
    static final class LibvirtDaemon {
        private static final List<String> DAEMONS = List.of("virtlogd", "libvirtd");
        /** Whether this test run started the daemons (and so stops them when done). */
        private static boolean started;

        private LibvirtDaemon() {}

        /** Stops the daemons this run started, by the pids in their pid files, libvirtd first. */
        static synchronized void stopIfStarted() throws Exception {
            if (!started) return;
            for (String daemon : DAEMONS.reversed()) {
                Path pidFile = Path.of("/run", daemon + ".pid");
                if (!Files.exists(pidFile)) continue;
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                        .ifPresent(p -> {
                            p.destroy();
                            p.onExit()
                                    .orTimeout(30, TimeUnit.SECONDS)
                                    .exceptionally(e -> null)
                                    .join();
                        });
            }
            started = false;
        }

        static synchronized void ensureRunning(String uri) throws Exception {
            kvmDeviceAsUdevWouldSetIt();
            if (answers(uri)) return;
            if (!"root".equals(System.getProperty("user.name"))) {
                fail("no libvirtd answers at " + uri + ", and only root can start one: run .ci/run as root once");
            }
            started = true;
            for (String daemon : DAEMONS) {
                Path program = Path.of("/usr/sbin", daemon);
                if (!Files.isExecutable(program)) {
                    fail(program
                            + " is missing: install Debian's libvirt-daemon-system and libvirt-clients (.ci/run does)");
                }
                // -d: daemonizes, as a system daemon runs; stopped again after the tests (stopIfStarted).
                Process p = new ProcessBuilder(program.toString(), "-d")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) fail(daemon + " -d failed: " + out);
            }
            try {
                await().atMost(Duration.ofSeconds(30))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> answers(uri));
            } catch (ConditionTimeoutException e) {
                fail("libvirtd started but does not answer at " + uri + " within 30 s");
            }
        }

        /**
         * Debian's udev rule makes {@code /dev/kvm} {@code root:kvm 0660}; a container without udev
         * leaves it {@code root 0600}. Then libvirtd finds KVM usable while probing QEMU (as root) and
         * unusable when checking its cache (as libvirt-qemu, in group kvm), so it throws the cache
         * away and probes again on every call: each define or start takes minutes. Applying the rule
         * by hand (root only) gives libvirtd the machine it expects.
         */
        private static void kvmDeviceAsUdevWouldSetIt() throws Exception {
            Path kvm = Path.of("/dev/kvm");
            if (!Files.exists(kvm) || !"root".equals(System.getProperty("user.name"))) return;
            var mode = Files.getPosixFilePermissions(kvm);
            if (mode.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)) return;
            Process p = new ProcessBuilder(
                            "sh", "-c", "getent group kvm >/dev/null && chgrp kvm /dev/kvm && chmod 0660 /dev/kvm")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        }

        private static boolean answers(String uri) throws IOException, InterruptedException {
            Process p;
            try {
                p = new ProcessBuilder("virsh", "-c", uri, "version")
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                fail("virsh is missing: install Debian's libvirt-clients (.ci/run does)");
                return false;
            }
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        }

        /** Runs virsh and returns what it printed (errors included): for looking, and for cleaning up. */
        static String virsh(String uri, String... args) throws IOException, InterruptedException {
            List<String> command = new java.util.ArrayList<>(List.of("virsh", "-c", uri));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        }
    }
}
