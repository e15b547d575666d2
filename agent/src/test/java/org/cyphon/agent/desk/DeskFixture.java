package org.cyphon.agent.desk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        deleteTree(dir);
    }

    private static void deleteTree(Path top) throws IOException {
        try (Stream<Path> files = Files.walk(top)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
