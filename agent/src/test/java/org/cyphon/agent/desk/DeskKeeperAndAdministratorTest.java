package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.cyphon.agent.DeskKeeper;
import org.cyphon.core.desk.DeskPlan;
import org.cyphon.core.desk.DeskPlanSettings;
import org.cyphon.core.policy.WeeklyWindow;
import org.cyphon.core.protocol.DeskCommand;
import org.cyphon.core.protocol.DeskCommandResult;
import org.cyphon.core.protocol.DeskEvent;
import org.junit.jupiter.api.Test;

/**
 * The keeper and the administrators no longer fight over a real desk VM (the test guest under
 * QEMU), on a scripted clock, every bug of issue 13 replayed: an administrator's resume is not
 * undone by a later recheck; overload on and off do not save a running VM; the CPU weight is set
 * after an administrator's start and restore; an administrator-restored VM is capped during an
 * overload. The keeper's own transitions are desk events with their reasons; the administrators'
 * actions and the reads are not (the coordinator records those).
 */
class DeskKeeperAndAdministratorTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static final DeskPlanSettings OFFICE = new DeskPlanSettings(
            WeeklyWindow.parse("mon-fri 08:00-19:00"),
            ZONE,
            Duration.ofMinutes(15),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            0.5);

    private final AtomicReference<Instant> now = new AtomicReference<>();
    private final AtomicReference<DeskKeeper.OwnerNow> owner = new AtomicReference<>();
    private final AtomicReference<Instant> overloadUntil = new AtomicReference<>();
    private final List<DeskEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    /** 2026-11-23 is a Monday. */
    private static Instant at(String dayAndTime) {
        return LocalDateTime.parse("2026-11-" + dayAndTime).atZone(ZONE).toInstant();
    }

    private void script(String when, boolean present, Duration idle) {
        now.set(at(when));
        owner.set(new DeskKeeper.OwnerNow(present, idle));
    }

    private DeskCommandResult admin(DeskKeeper keeper, String action, Long holdSeconds) {
        DeskCommand c = new DeskCommand(ids.incrementAndGet(), action, false, false, 90, holdSeconds, "alice", false);
        return keeper.carryOut(c, () -> null);
    }

    private List<String> keeperSteps() {
        return events.stream()
                .filter(e -> e.role().equals("keeper"))
                .map(e -> e.action() + " " + e.result())
                .toList();
    }

    private static int weightInTheCgroup(QemuDeskVm vm) throws Exception {
        Path dir = Path.of(vm.status().cgroup());
        if (Files.exists(dir.resolve("cpu.weight")))
            return Integer.parseInt(Files.readString(dir.resolve("cpu.weight")).trim());
        long shares = Long.parseLong(Files.readString(dir.resolve("cpu.shares")).trim());
        return (int) Math.round(shares / 10.24);
    }

    /** The cap as the kernel holds it, in cores; null when uncapped. */
    private static Double capInTheCgroup(QemuDeskVm vm) throws Exception {
        Path dir = Path.of(vm.status().cgroup());
        if (Files.exists(dir.resolve("cpu.max"))) {
            String[] max = Files.readString(dir.resolve("cpu.max")).trim().split(" ");
            return max[0].equals("max") ? null : Double.parseDouble(max[0]) / Double.parseDouble(max[1]);
        }
        long quota =
                Long.parseLong(Files.readString(dir.resolve("cpu.cfs_quota_us")).trim());
        long period = Long.parseLong(
                Files.readString(dir.resolve("cpu.cfs_period_us")).trim());
        return quota < 0 ? null : (double) quota / period;
    }

    @Test
    void anAdministratorsActionHoldsAgainstTheKeeperAndCapAndWeightFollowEveryTransition() throws Exception {
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
            Path holdFile = f.dir.resolve("hold.json");
            DeskKeeper.Reports reports = new DeskKeeper.Reports(events::add, holdFile, () -> {});
            try (DeskKeeper keeper = new DeskKeeper(
                    vm, OFFICE, 128, 64, owner::get, overloadUntil::get, () -> null, scripted, reports)) {
                // Lunch: nobody here for 40 minutes, the keeper wants the VM paused.
                script("23T12:40", false, Duration.ofMinutes(40));
                DeskCommandResult started = admin(keeper, "start", null);
                assertThat(started.outcome()).as(started.message()).isEqualTo("ok");
                assertThat(keeper.standing().move().hold().describe())
                        .isEqualTo("held running by alice (start) until released");
                assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
                assertThat(weightInTheCgroup(vm))
                        .as("set right after the administrator's start, not left at the default")
                        .isEqualTo(DeskPlan.UNATTENDED_WEIGHT);
                GuestConsole.awaitReady(vm.serialLog(), BOOT);
                assertThat(Files.exists(holdFile))
                        .as("the hold outlives the agent")
                        .isTrue();

                // An administrator's pause and resume: a later recheck does not undo the resume.
                assertThat(admin(keeper, "pause", null).outcome()).isEqualTo("ok");
                assertThat(admin(keeper, "resume", null).outcome()).isEqualTo("ok");
                script("23T12:55", false, Duration.ofMinutes(55));
                keeper.reconsiderAndWait();
                assertThat(vm.status().state())
                        .as("the resume holds against the keeper's wish to pause")
                        .isEqualTo(DeskVmState.RUNNING);
                assertThat(keeper.standing().move().decidedBy()).isEqualTo("admin");

                // Night, the keeper wants it saved; overload on, then off: the running VM is never saved.
                script("23T23:00", false, Duration.ofHours(4));
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
                overloadUntil.set(at("24T01:00"));
                keeper.reconsiderAndWait();
                assertThat(vm.status().state())
                        .as("overload on does not save it")
                        .isEqualTo(DeskVmState.RUNNING);
                assertThat(capInTheCgroup(vm)).as("but caps it").isEqualTo(0.5);
                overloadUntil.set(null);
                keeper.reconsiderAndWait();
                assertThat(vm.status().state())
                        .as("overload off does not save it")
                        .isEqualTo(DeskVmState.RUNNING);
                assertThat(capInTheCgroup(vm)).isNull();

                // During an overload, a VM the administrator saved and restored comes back capped and weighed.
                overloadUntil.set(at("24T01:00"));
                assertThat(admin(keeper, "save", null).outcome()).isEqualTo("ok");
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).as("held saved").isEqualTo(DeskVmState.SAVED);
                assertThat(admin(keeper, "restore", null).outcome()).isEqualTo("ok");
                assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
                assertThat(vm.status().cpuCapCores()).isEqualTo(0.5);
                assertThat(capInTheCgroup(vm))
                        .as("the restored VM's new process is capped at once")
                        .isEqualTo(0.5);
                assertThat(weightInTheCgroup(vm)).isEqualTo(DeskPlan.UNATTENDED_WEIGHT);
                assertThat(keeperSteps())
                        .as("the administrator did everything so far; the keeper only capped")
                        .containsExactly("cap ok", "cap ok", "cap ok");

                // Released: the keeper's plan applies at once, and its save is on record with why.
                DeskCommandResult released = admin(keeper, "release", null);
                assertThat(released.message()).contains("released").contains("the keeper takes it to saved");
                assertThat(vm.status().state()).isEqualTo(DeskVmState.SAVED);
                assertThat(Files.exists(holdFile)).isFalse();
                DeskEvent save = events.getLast();
                assertThat(save.principal()).isEqualTo("keeper");
                assertThat(save.action()).isEqualTo("save");
                assertThat(save.message()).contains("outside desk hours");

                // A hold for a stated time: ten minutes, then the keeper takes over again by itself.
                overloadUntil.set(null);
                script("24T00:00", false, Duration.ofHours(5));
                assertThat(admin(keeper, "restore", 600L).outcome()).isEqualTo("ok");
                assertThat(keeper.standing().move().hold().describe())
                        .isEqualTo("held running by alice (restore) until " + at("24T00:10"));
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
                script("24T00:11", false, Duration.ofHours(5).plusMinutes(11));
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).isEqualTo(DeskVmState.SAVED);
                assertThat(keeperSteps())
                        .as("the stale cap of the restored process lifted, the hold ended, the save")
                        .endsWith("save ok", "cap ok", "hold-ended ok", "save ok");

                // Reads are never events.
                int before = events.size();
                assertThat(admin(keeper, "status", null).outcome()).isEqualTo("ok");
                assertThat(events).hasSize(before);
            }
        }
    }

    /**
     * The desk goes down (logind's power-off or sleep) while an administrator holds the VM: the save
     * for it goes through the keeper, which then stands still (neither the hold nor a recheck brings
     * the VM back, an administrator's resume is refused); once the desk is back the hold applies
     * again. A VM an administrator saved stays saved after the desk is back, the owner there or not.
     */
    @Test
    void aPowerOffSavesThroughTheKeeperAndTheAdministratorsHoldOutlivesIt() throws Exception {
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
            DeskKeeper.Reports reports = new DeskKeeper.Reports(events::add, f.dir.resolve("hold.json"), () -> {});
            try (DeskKeeper keeper = new DeskKeeper(
                    vm, OFFICE, 128, 64, owner::get, overloadUntil::get, () -> null, scripted, reports)) {
                script("23T12:40", false, Duration.ofMinutes(40));
                assertThat(admin(keeper, "start", null).outcome()).isEqualTo("ok");
                GuestConsole.awaitReady(vm.serialLog(), BOOT);

                // logind announces the power-off.
                assertThat(keeper.saveForPowerOff()).isEqualTo("saved to disk");
                assertThat(vm.status().state()).isEqualTo(DeskVmState.SAVED);
                assertThat(keeperSteps()).contains("save ok");
                DeskCommandResult resumed = admin(keeper, "resume", null);
                assertThat(resumed.outcome()).as(resumed.message()).isEqualTo("refused");
                assertThat(resumed.message()).contains("the desk is going down");
                keeper.reconsiderAndWait();
                assertThat(vm.status().state())
                        .as("the administrator's hold (running) waits while the desk goes down")
                        .isEqualTo(DeskVmState.SAVED);

                // The desk is back (a resume from sleep): the hold brings the VM back.
                keeper.deskBack();
                keeper.reconsiderAndWait();
                assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
                assertThat(keeper.standing().move().hold().describe())
                        .isEqualTo("held running by alice (start) until released");

                // An administrator's save: a power-off finds nothing to save, and the desk back, the
                // owner at it, does not undo the administrator's save.
                assertThat(admin(keeper, "save", null).outcome()).isEqualTo("ok");
                assertThat(keeper.saveForPowerOff()).isEqualTo("nothing to save (saved)");
                keeper.deskBack();
                script("23T14:00", true, Duration.ZERO);
                keeper.reconsiderAndWait();
                assertThat(vm.status().state())
                        .as("the administrator's save holds after the desk is back")
                        .isEqualTo(DeskVmState.SAVED);
                assertThat(keeper.standing().move().decidedBy()).isEqualTo("admin");
            }
        }
    }
}
