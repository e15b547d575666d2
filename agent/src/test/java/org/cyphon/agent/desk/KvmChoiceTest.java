package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * KVM is used only where a guest really runs under it. On a machine whose /dev/kvm opens but does
 * not run guests (nested virtualization without support, like CI's), a desk that requires KVM
 * refuses to start, saying why; where KVM works, it runs under KVM.
 */
class KvmChoiceTest {

    @Test
    void aDeskThatRequiresKvmRunsUnderItOrSaysWhyItCannot() throws Exception {
        try (DeskFixture desk = new DeskFixture()) {
            QemuDeskVm vm = desk.vm(desk.spec(Accel.KVM, DeskSpec.Display.none(), DeskSpec.Network.NONE));
            KvmProbe.Result kvm = KvmProbe.probe(desk.host.qemuSystem());
            if (!Files.exists(Path.of("/dev/kvm"))) assertThat(kvm.reason()).contains("no /dev/kvm");

            if (kvm.usable()) {
                vm.start();
                assertThat(vm.status().accel()).isEqualTo(Accel.KVM);
            } else {
                assertThatThrownBy(vm::start)
                        .isInstanceOf(DeskException.class)
                        .hasMessageContaining("requires kvm, which does not work here: " + kvm.reason())
                        .hasMessageContaining("accel = \"auto\" or \"tcg\"")
                        .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.FAILED));
                assertThat(vm.status().state()).isEqualTo(DeskVmState.STOPPED);
            }
        }
    }

    @Test
    void aDeskSetToTcgIsEmulatedWhateverTheMachineHas() throws Exception {
        try (DeskFixture desk = new DeskFixture()) {
            QemuDeskVm vm = desk.vm(desk.spec(Accel.TCG, DeskSpec.Display.none(), DeskSpec.Network.NONE));
            vm.start();
            DeskVmStatus status = vm.status();
            assertThat(status.accel()).isEqualTo(Accel.TCG);
            assertThat(status.accelReason()).contains("set in the desk's configuration");
            assertThat(status.state()).isEqualTo(DeskVmState.RUNNING);
        }
    }
}
