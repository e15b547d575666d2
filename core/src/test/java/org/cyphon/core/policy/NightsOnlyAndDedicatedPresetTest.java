package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** "nights-only" runs in its weekly window only; "dedicated" always runs. */
class NightsOnlyAndDedicatedPresetTest {

    @Test
    void nightsOnlyStartsAtSevenAndLeavesInTheMorning() {
        Policy nights = Policy.of(PolicyPresets.named("nights-only"));

        DeskScript quietNight = new DeskScript().loadEvery(Duration.ofSeconds(30));

        List<String> log = new DeskReplay(nights, quietNight).run("18:00", "tue 07:30");

        assertThat(log)
                .containsExactly(
                        "19:00:00 START",
                        "tue 07:00:00 FREEZE",
                        "tue 07:10:00 CHECKPOINT_AND_VACATE",
                        "tue 07:15:00 KILL");
    }

    @Test
    void nightsOnlyStillYieldsToSomeoneWorkingLate() {
        Policy nights = Policy.of(PolicyPresets.named("nights-only"));
        DeskScript late = new DeskScript().typing("18:30", "19:30").load("19:40", "19:45", 4.0);

        List<String> log = new DeskReplay(nights, late).run("18:00", "20:00");

        // The window opens at 19:00 with the owner still typing: work starts lingering beside them,
        // runs once they have left (19:30 + present_within), and yields to the build at 19:40.
        // The build ends at 19:45 and the owner left at 19:30: idle long enough to thaw at once.
        assertThat(log)
                .containsExactly(
                        "19:00:00 START", "19:00:00 LINGER", "19:31:00 RUN", "19:40:15 FREEZE", "19:45:00 THAW");
    }

    @Test
    void weekendsAreInTheWindowAllDay() {
        Policy nights = Policy.of(PolicyPresets.named("nights-only"));

        assertThat(new DeskReplay(nights, new DeskScript()).run("sat 12:00", "sat 12:30"))
                .containsExactly("sat 12:00:00 START");
    }

    @Test
    void theWindowFollowsTheTimeZone() {
        // 19:00 in Tokyo is 10:00 UTC.
        Policy tokyo = Policy.of(PolicyPresets.named("nights-only").withOverrides(Map.of("time_zone", "Asia/Tokyo")));

        assertThat(new DeskReplay(tokyo, new DeskScript()).run("09:00", "10:30"))
                .containsExactly("10:00:00 START");
    }

    @Test
    void dedicatedAlwaysRuns() {
        Policy dedicated = Policy.of(PolicyPresets.named("dedicated"));

        List<String> log = new DeskReplay(dedicated, DeskScript.officeDay()).run("11:00", "15:00");

        assertThat(log).containsExactly("11:00:00 START");
    }
}
