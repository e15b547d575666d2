package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** BOINC client defaults: no suspend on input, suspend above 25 % non-BOINC CPU, every 10 s. */
class BoincPresetTest {
    private final Policy boinc = Policy.of(PolicyPresets.named("boinc-default"));

    @Test
    void anOfficeDay() {
        List<String> log = new DeskReplay(boinc, DeskScript.officeDay()).run("11:00", "15:00");

        assertThat(log)
                .containsExactly(
                        "12:03:00 START", // 3 min without input
                        // typing at 12:20 changes nothing: "suspend when in use" is off
                        "12:30:00 FREEZE", // non-BOINC CPU above 25 %
                        "12:33:00 THAW",
                        "12:40:00 FREEZE", // ... even for a 10 s spike: what its users complain about
                        "12:40:10 THAW",
                        "13:40:00 FREEZE", // on battery
                        "13:50:00 THAW",
                        "14:00:00 FREEZE", // exclusive app; suspended work is never preempted
                        "14:30:00 THAW");
    }

    @Test
    void cpuIsSampledOnTenSecondTicks() {
        DeskScript spike = new DeskScript().load("12:10:03", "12:10:07", 4.0);

        // A 4 s spike between ticks goes unseen; one that spans a tick is seen there.
        assertThat(new DeskReplay(boinc, spike).run("12:00", "12:15")).containsExactly("12:03:00 START");
        assertThat(new DeskReplay(boinc, new DeskScript().load("12:10:03", "12:10:12", 4.0)).run("12:00", "12:15"))
                .containsExactly("12:03:00 START", "12:10:10 FREEZE", "12:10:20 THAW");
    }
}
