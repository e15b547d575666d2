package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cyphon.agent.DeskKeeper;
import org.cyphon.core.desk.DeskPlanSettings;
import org.cyphon.core.desk.OwnerOutlook;
import org.cyphon.core.protocol.DeskEvent;
import org.junit.jupiter.api.Test;

/**
 * A QEMU that dies is a failed desk, loudly: killed with SIGKILL it shows as {@code failed} with its
 * exit status and the last lines of its log, whether the agent watched it die or found it dead
 * after a restart, and the keeper puts it on record; a guest that shuts itself down is merely
 * stopped. A saved desk is not powered off (its saved memory thrown away) unless asked to discard it.
 */
class DeskFailuresAreLoudTest {
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static final DeskPlanSettings ALWAYS_DESK_HOURS = new DeskPlanSettings(
            null,
            java.time.ZoneId.systemDefault(),
            Duration.ofMinutes(30),
            Duration.ofMinutes(15),
            Duration.ofMinutes(30),
            null);

    private static void kill9(long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start();
        assertThat(kill.waitFor()).isZero();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).isEmpty()
                        || !ProcessHandle.of(pid).get().isAlive());
    }

    @Test
    void aQemuKilledWithSigkillIsAFailedDeskWithItsExitStatusAndLogOnRecord() throws Exception {
        List<DeskEvent> events = new CopyOnWriteArrayList<>();
        try (DeskFixture f = new DeskFixture()) {
            DeskSpec spec = f.spec(Accel.TCG, DeskSpec.Display.none(), DeskSpec.Network.NONE);
            QemuDeskVm vm = f.vm(spec);
            vm.start();
            GuestConsole.awaitReady(vm.serialLog(), BOOT);
            try (DeskKeeper keeper = new DeskKeeper(
                    vm,
                    ALWAYS_DESK_HOURS,
                    128,
                    64,
                    () -> new DeskKeeper.OwnerNow(true, Duration.ZERO),
                    () -> null,
                    () -> OwnerOutlook.UNKNOWN,
                    Clock.systemUTC(),
                    new DeskKeeper.Reports(events::add, null, () -> {}))) {
                keeper.reconsiderAndWait();
                long pid = vm.status().pid();

                kill9(pid);
                keeper.watchAndWait();

                DeskVmStatus failed = vm.status();
                assertThat(failed.state()).isEqualTo(DeskVmState.FAILED);
                assertThat(failed.pid()).isNull();
                assertThat(failed.failure())
                        .contains("qemu (pid " + pid + ") killed by SIGKILL (exit status 137)")
                        .contains("last lines of")
                        .contains("qemu.log");
                DeskEvent onRecord = events.getLast();
                assertThat(onRecord.principal()).isEqualTo("vm");
                assertThat(onRecord.action()).isEqualTo("failed");
                assertThat(onRecord.result()).isEqualTo("failed");
                assertThat(onRecord.message()).contains("killed by SIGKILL");

                // The keeper leaves a failed desk alone, even with the owner present.
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).isEqualTo(DeskVmState.FAILED);
                assertThat(keeper.standing().next().words()).contains("failed");
            }

            // Dead while no agent watched: a new agent finds it failed, with the same status.
            vm.start();
            GuestConsole.awaitReady(vm.serialLog(), BOOT);
            long pid = vm.status().pid();
            vm.close(); // the agent goes away; the VM runs on
            kill9(pid);
            QemuDeskVm again = f.vm(spec);
            assertThat(again.status().state()).isEqualTo(DeskVmState.FAILED);
            assertThat(again.status().failure()).contains("killed by SIGKILL (exit status 137)");

            // Powering a failed desk off acknowledges it: stopped.
            again.poweroff(false);
            assertThat(again.status().state()).isEqualTo(DeskVmState.STOPPED);
            assertThat(again.status().failure()).isNull();
        }
    }

    @Test
    void aGuestThatShutsDownIsStoppedNotFailed() throws Exception {
        try (DeskFixture f = new DeskFixture()) {
            QemuDeskVm vm = f.vm(f.spec(Accel.TCG, DeskSpec.Display.none(), DeskSpec.Network.NONE));
            vm.start();
            GuestConsole.awaitReady(vm.serialLog(), BOOT);
            assertThat(vm.stop(Duration.ofSeconds(60))).isEqualTo(StopOutcome.SHUT_DOWN);
            assertThat(vm.status().state()).isEqualTo(DeskVmState.STOPPED);
            assertThat(vm.status().failure()).isNull();
        }
    }

    @Test
    void aSavedDeskIsNotPoweredOffUnlessItsSavedStateMayBeDiscarded() throws Exception {
        try (DeskFixture f = new DeskFixture()) {
            QemuDeskVm vm = f.vm(f.spec(Accel.TCG, DeskSpec.Display.none(), DeskSpec.Network.NONE));
            vm.start();
            GuestConsole.awaitReady(vm.serialLog(), BOOT);
            vm.save();
            assertThat(vm.status().state()).isEqualTo(DeskVmState.SAVED);

            assertThatThrownBy(() -> vm.poweroff(false))
                    .isInstanceOf(DeskException.class)
                    .hasMessageContaining("is saved")
                    .hasMessageContaining("--discard-saved-state")
                    .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.REFUSED));
            assertThat(vm.status().state()).as("nothing was thrown away").isEqualTo(DeskVmState.SAVED);

            vm.poweroff(true);
            assertThat(vm.status().state()).isEqualTo(DeskVmState.STOPPED);
        }
    }
}
