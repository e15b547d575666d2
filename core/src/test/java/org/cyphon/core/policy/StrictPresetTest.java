package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** "strict": any input freezes at once; work thaws after the idle time. */
class StrictPresetTest {
    private final Policy strict = Policy.of(PolicyPresets.named("strict"));

    @Test
    void anOfficeDay() {
        List<String> log = new DeskReplay(strict, DeskScript.officeDay()).run("11:00", "15:00");

        assertThat(log)
                .containsExactly(
                        "12:05:00 START",
                        "12:20:00 FREEZE", // the first key press
                        "12:30:00 CHECKPOINT_AND_VACATE", // still typing after 10 min frozen
                        "12:35:00 KILL",
                        "13:15:00 START", // 5 min after the video ended at 13:10
                        "13:20:00 FREEZE", // SSH login
                        "13:30:00 CHECKPOINT_AND_VACATE", // frozen 10 min
                        "13:35:00 KILL",
                        "13:35:00 START", // idle 5 min since the SSH session closed
                        "13:40:00 FREEZE", // battery
                        "13:50:00 THAW",
                        "14:00:00 FREEZE", // game
                        "14:10:00 CHECKPOINT_AND_VACATE",
                        "14:15:00 KILL",
                        "14:30:00 START");
    }

    @Test
    void shortVisitsThawAfterTheIdleTime() {
        DeskScript visit = new DeskScript().typing("12:10:03", "12:11");

        assertThat(new DeskReplay(strict, visit).run("12:00", "12:30"))
                .containsExactly("12:05:00 START", "12:10:03 FREEZE", "12:16:00 THAW");
    }
}
