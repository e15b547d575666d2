package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.cyphon.agent.DeskKeeper;
import org.cyphon.core.desk.DeskPlan;
import org.cyphon.core.desk.DeskPlanSettings;
import org.cyphon.core.policy.WeeklyWindow;
import org.junit.jupiter.api.Test;

/**
 * A day and a night of a real desk VM (the test guest under QEMU) on a scripted clock: running
 * while the owner works, paused at lunch, saved to disk at night, restored at once for a late
 * visitor with its memory intact, held to the floor while an overload is on; its CPU weight high
 * while the owner works in it and low while it idles unattended, read back from its cgroup.
 */
class DeskKeeperNightScheduleTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    private static final Duration BOOT = Duration.ofSeconds(60);

    private final AtomicReference<Instant> now = new AtomicReference<>();
    private final AtomicReference<DeskKeeper.OwnerNow> owner = new AtomicReference<>();
    private final AtomicReference<Instant> overloadUntil = new AtomicReference<>();

    /** 2026-11-23 is a Monday. */
    private static Instant at(String dayAndTime) {
        return LocalDateTime.parse("2026-11-" + dayAndTime).atZone(ZONE).toInstant();
    }

    private void script(String when, boolean present, Duration idle) {
        now.set(at(when));
        owner.set(new DeskKeeper.OwnerNow(present, idle));
    }

    /** The weight as the kernel holds it: v2 {@code cpu.weight}, or v1 {@code cpu.shares} turned back into v2 units. */
    private static int weightInTheCgroup(QemuDeskVm vm) throws Exception {
        Path dir = Path.of(vm.status().cgroup());
        if (Files.exists(dir.resolve("cpu.weight")))
            return Integer.parseInt(Files.readString(dir.resolve("cpu.weight")).trim());
        long shares = Long.parseLong(Files.readString(dir.resolve("cpu.shares")).trim());
        assertThat(shares).isEqualTo(DeskCpuGroup.sharesOf((int) Math.round(shares / 10.24)));
        return (int) Math.round(shares / 10.24);
    }

    @Test
    void theVmFollowsTheOwnersDayAndNightOnAScriptedClock() throws Exception {
        DeskPlanSettings office = new DeskPlanSettings(
                WeeklyWindow.parse("mon-fri 08:00-19:00"),
                ZONE,
                Duration.ofMinutes(15),
                Duration.ofMinutes(10),
                Duration.ofMinutes(30),
                0.5);
        Clock scripted = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZONE;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (DeskFixture f = new DeskFixture()) {
            QemuDeskVm vm = f.vm(f.spec(Accel.TCG, DeskSpec.Display.none(), DeskSpec.Network.NONE));
            vm.start();
            GuestConsole.awaitReady(vm.serialLog(), BOOT);
            try (GuestConsole console = GuestConsole.attach(vm.serialSocket())) {
                assertThat(console.ask("remember morning 1")).isEqualTo("OK remember");
            }
            try (DeskKeeper keeper = new DeskKeeper(vm, office, 128, 64, owner::get, overloadUntil::get, scripted)) {
                script("23T10:00", true, Duration.ZERO);
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
                assertThat(vm.status().cpuWeight()).isEqualTo(DeskPlan.OWNER_WEIGHT);
                assertThat(weightInTheCgroup(vm))
                        .as("the owner's VM outweighs normal host work")
                        .isEqualTo(DeskPlan.OWNER_WEIGHT);

                script("23T10:05", false, Duration.ofMinutes(5)); // a coffee: still running, unattended
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
                assertThat(weightInTheCgroup(vm)).isEqualTo(DeskPlan.UNATTENDED_WEIGHT);

                script("23T12:40", false, Duration.ofMinutes(40)); // lunch
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).isEqualTo(DeskVmState.PAUSED);

                script("23T23:00", false, Duration.ofHours(4)); // night
                keeper.reconsiderAndWait();
                DeskVmStatus night = vm.status();
                assertThat(night.state()).isEqualTo(DeskVmState.SAVED);
                assertThat(night.pid())
                        .as("no VM process holds memory at night")
                        .isNull();

                script("24T02:00", true, Duration.ZERO); // someone comes in
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
                try (GuestConsole console = GuestConsole.attach(vm.serialSocket())) {
                    assertThat(console.ask("recall"))
                            .as("the same guest, not a reboot")
                            .isEqualTo("VALUE morning 1");
                }
                assertThat(weightInTheCgroup(vm))
                        .as("set again on the restored VM")
                        .isEqualTo(DeskPlan.OWNER_WEIGHT);

                overloadUntil.set(at("24T03:00"));
                script("24T02:05", true, Duration.ZERO);
                keeper.reconsiderAndWait();
                assertThat(vm.status().cpuCapCores()).isEqualTo(0.5);

                script("24T03:00", true, Duration.ZERO); // the overload ends by itself
                keeper.reconsiderAndWait();
                assertThat(vm.status().cpuCapCores()).isNull();
            }
        }
    }
}
