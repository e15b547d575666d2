package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code reconsiderAt} is exact for every preset and for custom policies: the agent wakes when, and
 * only when, the decision is due to change.
 */
class ReconsiderAtTest {

    static List<String> presets() {
        return PolicyPresets.names();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void exactOverAnOfficeDay(String preset) {
        Policy policy = Policy.of(PolicyPresets.named(preset));
        DeskReplay replay = new DeskReplay(policy, DeskScript.officeDay().loadEvery(Duration.ofSeconds(5)));
        replay.run("11:00", "15:00");

        assertThat(ReconsiderAt.holdsFor(policy, replay)).isGreaterThan(100);
    }

    @ParameterizedTest
    @MethodSource("presets")
    void exactForJobsThatEndAndCannotCheckpoint(String preset) {
        Policy policy =
                Policy.of(PolicyPresets.named(preset).withOverrides(Map.of("vacate_uncheckpointable_after", "20m")));
        DeskScript script = DeskScript.officeDay().loadEvery(Duration.ofSeconds(5));
        DeskReplay replay =
                new DeskReplay(policy, script).notCheckpointable().usingGpu().jobLength(Duration.ofMinutes(50));
        replay.run("11:00", "15:00");

        assertThat(ReconsiderAt.holdsFor(policy, replay)).isGreaterThan(100);
    }

    @ParameterizedTest
    @MethodSource("presets")
    void exactAcrossTheNightWindow(String preset) {
        Policy policy =
                Policy.of(PolicyPresets.named(preset).withOverrides(Map.of("window", "daily 19:00-07:00, sat-sun")));
        DeskReplay replay = new DeskReplay(
                policy, new DeskScript().loadEvery(Duration.ofMinutes(1)).typing("18:50", "19:20"));
        replay.run("18:00", "tue 08:00");

        assertThat(ReconsiderAt.holdsFor(policy, replay)).isGreaterThan(10);
    }

    @ParameterizedTest
    @MethodSource("presets")
    void exactForTheSamePresetWrittenInCel(String preset) {
        Policy cel = Policy.of(PolicyPresets.named(preset)
                .withOverrides(CelPolicyTest.AS_CEL.getOrDefault(preset, CelPolicyTest.AS_CEL.get("desktop"))));
        DeskReplay replay = new DeskReplay(cel, DeskScript.officeDay().loadEvery(Duration.ofSeconds(5)));
        replay.run("11:30", "14:45");

        assertThat(ReconsiderAt.holdsFor(cel, replay)).isGreaterThan(100);
    }

    @ParameterizedTest
    @MethodSource("presets")
    void exactForCelClocksOfTheDay(String preset) {
        Policy cel = Policy.of(PolicyPresets.named(preset)
                .withOverrides(Map.of(
                        "start", "(hour >= 19 || hour < 7 || weekday >= 6) && idle_seconds >= 120",
                        "freeze", "present || minute_of_day == 12 * 60 + 30",
                        "thaw", "!present && input_idle_seconds > 300",
                        "vacate", "frozen_seconds >= 2 * 60 * 60 || (checkpointable && hour == 7)")));
        DeskReplay replay = new DeskReplay(
                cel,
                new DeskScript()
                        .loadEvery(Duration.ofMinutes(1))
                        .typing("18:50", "19:20")
                        .typing("tue 06:50", "tue 06:55"));
        replay.run("18:00", "tue 08:00");

        assertThat(ReconsiderAt.holdsFor(cel, replay)).isGreaterThan(10);
    }
}
