package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default preset over scripted office days: linger beside the owner, yield when they need the machine. */
class DesktopPresetTest {
    private final Policy desktop = Policy.of(PolicyPresets.named("desktop"));

    @Test
    void anOfficeDay() {
        List<String> log = new DeskReplay(desktop, DeskScript.officeDay()).run("11:00", "15:00");

        assertThat(log)
                .containsExactly(
                        "11:00:00 START", // the owner is typing, but light: new work may start lingering
                        "11:00:00 LINGER", // (start_while_present = linger): idle priority, linger caps
                        "12:01:00 RUN", // last key at 12:00, present_within (60 s) later: run
                        "12:20:00 LINGER", // owner back and typing: keep going at idle priority
                        "12:30:15 FREEZE", // compiling on all cores for 15 s: contention
                        "12:34:00 THAW", // a minute of calm after the build: linger again
                        // (the 10 s spike at 12:40 freezes nothing)
                        "13:11:00 RUN", // video (no input) kept them present until 13:10
                        "13:20:00 LINGER", // logged in over SSH
                        "13:31:00 RUN",
                        "13:40:00 FREEZE", // on battery
                        "13:50:00 THAW", // back on mains, owner long gone
                        "14:00:00 FREEZE", // a game: hands off
                        "14:10:00 CHECKPOINT_AND_VACATE", // frozen 10 min: checkpoint and leave
                        "14:15:00 KILL", // it did not exit within the 5 min grace
                        "14:30:00 START"); // game over, owner idle: new work
    }

    @Test
    void aJobThatCheckpointsLeavesBeforeTheGraceEnds() {
        DeskScript game = new DeskScript().exclusive("12:10", "12:30", "steam");

        List<String> log = new DeskReplay(desktop, game)
                .vacateTakes(Duration.ofSeconds(40))
                .run("12:00", "12:25");

        assertThat(log)
                .containsExactly(
                        "12:00:00 START", "12:10:00 FREEZE", "12:20:00 CHECKPOINT_AND_VACATE", "12:20:40 LEFT");
    }

    @Test
    void workThatCannotCheckpointStaysFrozenRatherThanLoseItsWork() {
        DeskScript gameAfternoon = new DeskScript().exclusive("14:00", "16:00", "steam");

        List<String> log =
                new DeskReplay(desktop, gameAfternoon).notCheckpointable().run("13:00", "16:30");

        assertThat(log).containsExactly("13:00:00 START", "14:00:00 FREEZE", "16:00:00 THAW");
    }

    @Test
    void aJobAboutToFinishIsNotFrozenForContention() {
        DeskScript build = new DeskScript().load("12:10", "12:20", 4.0);

        // Starts wait for start_after_idle here, so the one job is 5 s from its end when the build begins.
        Policy waiting = Policy.of(
                PolicyPresets.named("desktop").withOverrides(java.util.Map.of("start_while_present", "wait")));
        List<String> log = new DeskReplay(waiting, build)
                .jobLength(Duration.ofMinutes(5).plusSeconds(20))
                .run("12:00", "12:15");

        // Started 12:05:00, needs 5m20s: at 12:10:15 it has 5 s left, within finish_within (30 s).
        assertThat(log).containsExactly("12:05:00 START", "12:10:20 DONE");
    }

    @Test
    void memoryPressureContendsLikeCpu() {
        DeskScript swapping = new DeskScript().memoryPressure("12:10", "12:12", 25);

        List<String> log = new DeskReplay(desktop, swapping).run("12:00", "12:20");

        assertThat(log).containsExactly("12:00:00 START", "12:10:15 FREEZE", "12:12:00 THAW");
    }

    @Test
    void gpuWorkWaitsWhileTheOwnerIsPresentButCpuWorkLingers() {
        DeskScript back = new DeskScript().typing("12:10", "12:12");

        assertThat(new DeskReplay(desktop, back).usingGpu().run("12:00", "12:20"))
                .containsExactly("12:00:00 START", "12:10:00 FREEZE", "12:13:00 THAW");
        assertThat(new DeskReplay(desktop, back).run("12:00", "12:20"))
                .containsExactly("12:00:00 START", "12:10:00 LINGER", "12:13:00 RUN");
    }

    @Test
    void newWorkStartsBesideATypingOwnerOnlyWhenTheirDemandLeavesRoom() {
        DeskScript typingLightly = new DeskScript().typing("12:00", "12:30");
        assertThat(new DeskReplay(desktop, typingLightly).run("12:00", "12:20"))
                .as("straight into lingering")
                .containsExactly("12:00:00 START", "12:00:00 LINGER");

        DeskScript typingAndBuilding = new DeskScript().typing("12:00", "12:30").load("12:00", "12:10", 4.0);
        assertThat(new DeskReplay(desktop, typingAndBuilding).run("12:00", "12:20"))
                .as("contention: nothing starts until a minute after the build")
                .first()
                .asString()
                .startsWith("12:1");

        Policy waiting = Policy.of(
                PolicyPresets.named("desktop").withOverrides(java.util.Map.of("start_while_present", "wait")));
        assertThat(new DeskReplay(waiting, typingLightly).run("12:00", "12:40"))
                .as("start_while_present = wait: start_after_idle after the last key")
                .containsExactly("12:35:00 START");
    }

    @Test
    void lingeringCarriesTheCaps() {
        DeskScript back = new DeskScript().typing("12:10", "12:12");
        DeskReplay replay = new DeskReplay(desktop, back);
        replay.run("12:00", "12:11");

        Decision linger = replay.taken().getLast().decision();
        assertThat(linger.action()).isEqualTo(Action.LINGER);
        assertThat(linger.caps()).isEqualTo(new LingerCaps(0.5, 20L << 20));
        assertThat(linger.reasons()).anySatisfy(r -> assertThat(r).startsWith("owner present: keyboard/mouse input"));
    }
}
