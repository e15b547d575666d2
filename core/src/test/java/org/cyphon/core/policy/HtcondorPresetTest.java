package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTCondor's documented desktop defaults, reproduced with its 5 s evaluation cycle. */
class HtcondorPresetTest {
    private final Policy htcondor = Policy.of(PolicyPresets.named("htcondor-desktop"));

    @Test
    void anOfficeDay() {
        List<String> log = new DeskReplay(htcondor, DeskScript.officeDay()).run("11:00", "15:00");

        assertThat(log)
                .containsExactly(
                        "12:15:00 START", // keyboard idle 15 min
                        "12:20:00 FREEZE", // keyboard busy
                        "12:30:00 CHECKPOINT_AND_VACATE", // suspended 10 min
                        "12:40:00 KILL", // 10 min of graceful vacate
                        "13:45:00 START"); // 15 min after the SSH session; it ignores battery and games
    }

    @Test
    void theOwnerWaitsForTheNextFiveSecondTick() {
        DeskScript back = new DeskScript().typing("12:20:01", "12:21");

        List<String> log = new DeskReplay(htcondor, back).run("12:00", "12:30");

        assertThat(log).containsExactly("12:15:00 START", "12:20:05 FREEZE", "12:26:00 THAW");
    }

    @Test
    void ownerLoadSuspendsOnlyAfterTwoMinutes() {
        DeskScript batch = new DeskScript().load("12:20", "12:25", 0.6);

        List<String> log = new DeskReplay(htcondor, batch).run("12:00", "12:40");

        // 0.6 >= 0.5 from 12:20:00, for 2 min; CONTINUE once load <= 0.3 and keyboard idle 5 min.
        assertThat(log).containsExactly("12:15:00 START", "12:22:00 FREEZE", "12:25:00 THAW");
    }

    @Test
    void loadSuspendWaitsUntilTheJobHasRunNinetySeconds() {
        Policy quickLoad =
                Policy.of(PolicyPresets.named("htcondor-desktop").withOverrides(Map.of("contend_for", "30s")));
        DeskScript batch = new DeskScript().load("12:15:05", "12:25", 0.6);

        List<String> log = new DeskReplay(quickLoad, batch).run("12:00", "12:20");

        // Load high since 12:15:05, sustained 30 s at 12:15:35, but the job (started 12:15:00) has run 90 s only at
        // 12:16:30.
        assertThat(log).containsExactly("12:15:00 START", "12:16:30 FREEZE");
    }

    @Test
    void loadBetweenBackgroundAndHighBlocksStartButDoesNotSuspend() {
        DeskScript light = new DeskScript().load("12:00", "13:00", 0.4);

        assertThat(new DeskReplay(htcondor, light).run("12:00", "12:40")).isEmpty();
        assertThat(new DeskReplay(htcondor, new DeskScript().load("12:20", "13:00", 0.4)).run("12:00", "12:40"))
                .containsExactly("12:15:00 START");
    }
}
