package org.cyphon.agent.desk;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throw-away desk over the test guest for the tests that need a VM but not the shared one of
 * {@link QemuDeskVmTest}: its own name, directory and cgroup parent, all removed by {@link #close()}.
 */
final class DeskFixture implements AutoCloseable {
    final String name = "f" + UUID.randomUUID().toString().substring(0, 8);
    final String cgroupParent =
            "cyphon-desk-test-" + UUID.randomUUID().toString().substring(0, 8);
    final TestGuest guest;
    final DeskHost host;
    final Path dir;
    private QemuDeskVm vm;

    DeskFixture() throws Exception {
        guest = TestGuest.build();
        host = TestGuest.host(cgroupParent);
        dir = Files.createTempDirectory("desk-fixture");
        Files.copy(guest.userDataTemplate(), dir.resolve("userdata.img"));
    }

    DeskSpec spec(Accel accel, DeskSpec.Display display, DeskSpec.Network network) throws IOException {
        return new DeskSpec(
                name,
                guest.golden(),
                dir.resolve("overlay.qcow2"),
                dir.resolve("userdata.img"),
                1,
                128,
                64,
                display,
                network,
                accel,
                new DeskSpec.KernelBoot(guest.kernel(), guest.initrd(), guest.cmdline()));
    }

    /** A desk VM over {@code spec}, powered off and let go of by {@link #close()}. */
    QemuDeskVm vm(DeskSpec spec) throws DeskException {
        vm = new QemuDeskVm(spec, dir.resolve("state"), host);
        return vm;
    }

    @Override
    public void close() throws Exception {
        if (vm != null) {
            vm.poweroff(true);
            vm.close();
        }
        CgroupRemoval.removeTree(cgroupParent);
        // The small shell that waited for QEMU writes its exit status into the state dir once QEMU
        // has gone (a guest that shut down itself included), possibly while the tree is being
        // removed: a late file is removed by the next try (seen in a full run).
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions() // DirectoryNotEmptyException, or a file gone between listing and removal
                .until(() -> {
                    deleteTree(dir);
                    return Files.notExists(dir);
                });
    }

    private static void deleteTree(Path top) throws IOException {
        try (Stream<Path> files = Files.walk(top)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
