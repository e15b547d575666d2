package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guest's input channel on the desk's command line: last, so every earlier device keeps its
 * PCI address, and left out only to restore a state an earlier agent's machine saved.
 */
class QemuCommandLineTest {
    private final DeskSpec spec = new DeskSpec(
            "d1",
            Path.of("/srv/golden.qcow2"),
            Path.of("/var/lib/cyphon/desk/overlay.qcow2"),
            Path.of("/var/lib/cyphon/data.qcow2"),
            1,
            128,
            64,
            DeskSpec.Display.none(),
            DeskSpec.Network.NONE,
            Accel.TCG,
            null);
    private final DeskFiles files = new DeskFiles(Path.of("/var/lib/cyphon/desk"));

    @Test
    void theInputChannelIsLastAndItsSocketIsInTheStateDirectory() {
        List<String> argv =
                QemuCommandLine.of(Path.of("/usr/bin/qemu-system-x86_64"), spec, files, Accel.TCG, false, true);
        String line = String.join(" ", argv);
        assertThat(line)
                .contains("socket,id=presence,path=/var/lib/cyphon/desk/input.sock,server=on,wait=off")
                .contains("virtserialport,bus=vserinput.0,chardev=presence,name=org.cyphon.presence.0")
                .contains("unix:/var/lib/cyphon/desk/qmp-admin.sock,server=on,wait=off")
                .endsWith("pcie-root-port,id=hotplug0,chassis=1");
        // Every device of the earlier machine comes before the added ones, in the same order.
        List<String> earlier =
                QemuCommandLine.of(Path.of("/usr/bin/qemu-system-x86_64"), spec, files, Accel.TCG, false, false);
        assertThat(argv.subList(0, earlier.size())).isEqualTo(earlier);
        assertThat(String.join(" ", earlier)).doesNotContain("presence", "qmp-admin", "hotplug0");
    }

    @Test
    void aRestoreWaitsForTheStateAfterEverything() {
        List<String> argv =
                QemuCommandLine.of(Path.of("/usr/bin/qemu-system-x86_64"), spec, files, Accel.TCG, true, true);
        assertThat(argv.subList(argv.size() - 2, argv.size())).containsExactly("-incoming", "defer");
    }
}
