package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.LoadSeen;
import org.cyphon.core.owner.OwnerObservations;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.owner.PresenceFusion;
import org.junit.jupiter.api.Test;

/** Custom policies in CEL: checked at construction, equal to the presets they imitate. */
class CelPolicyTest {

    /** Presets written as custom expressions (the other keys come from the same preset). */
    static final Map<String, Map<String, String>> AS_CEL = Map.of(
            // HTCondor's own desktop policy, in its own words (START, SUSPEND, CONTINUE, PREEMPT).
            "htcondor-desktop",
                    Map.of(
                            "start", "idle_seconds >= 15 * 60 && owner_cpus <= 0.3",
                            "freeze", "present || (contending_seconds >= 120 && job_run_seconds >= 90)",
                            "thaw", "idle_seconds >= 300 && owner_cpus <= 0.3",
                            "vacate", "frozen_seconds >= 600"),
            "boinc-default",
                    Map.of(
                            "start", "idle_seconds >= 180 && !contending",
                            "freeze", "contending",
                            "thaw", "!contending",
                            "vacate", "false"),
            "desktop",
                    Map.of(
                            "start", "!contending", // start_while_present = linger: idle time does not matter
                            "freeze",
                                    "contending_seconds >= 15 && !(remaining_seconds >= 0 && remaining_seconds <= 30)",
                            "linger", "present",
                            "thaw", "!contending && (idle_seconds >= 120 || calm_seconds >= 60)",
                            "vacate",
                                    "checkpointable && frozen_seconds >= 600 && !(remaining_seconds >= 0 && remaining_seconds <= 30)"));

    @Test
    void presetsWrittenInCelDecideExactlyAsThePresets() {
        for (String preset : AS_CEL.keySet()) {
            PolicySettings base = PolicyPresets.named(preset);
            Policy java = Policy.of(base);
            Policy cel = Policy.of(base.withOverrides(AS_CEL.get(preset)));
            assertThat(cel.name()).isEqualTo(preset + " (custom expressions)");
            for (DeskScript script : List.of(
                    DeskScript.officeDay(),
                    new DeskScript().load("12:20", "12:25", 0.6).typing("12:40:01", "12:41"))) {
                DeskReplay a =
                        new DeskReplay(java, script.loadEvery(Duration.ofSeconds(5))).jobLength(Duration.ofMinutes(95));
                DeskReplay b = new DeskReplay(cel, script).jobLength(Duration.ofMinutes(95));

                assertThat(b.run("11:00", "15:00"))
                        .as(preset)
                        .isEqualTo(a.run("11:00", "15:00"))
                        .isNotEmpty();
                assertThat(b.taken()).hasSameSizeAs(a.taken());
                for (int i = 0; i < a.taken().size(); i++) {
                    Decision x = a.taken().get(i).decision();
                    Decision y = b.taken().get(i).decision();
                    assertThat(List.of(y.action(), String.valueOf(y.reconsiderAt()), String.valueOf(y.caps())))
                            .as(
                                    "%s, decision %d at %s",
                                    preset, i, a.taken().get(i).input().now())
                            .isEqualTo(List.of(x.action(), String.valueOf(x.reconsiderAt()), String.valueOf(x.caps())));
                }
                assertThat(b.asked()).hasSameSizeAs(a.asked());
                for (int i = 0; i < a.asked().size(); i++) {
                    StartDecision x = a.asked().get(i).decision();
                    StartDecision y = b.asked().get(i).decision();
                    assertThat(List.of(y.allowed(), y.gpuAllowed(), String.valueOf(y.reconsiderAt())))
                            .as(
                                    "%s, start %d at %s",
                                    preset, i, a.asked().get(i).now())
                            .isEqualTo(List.of(x.allowed(), x.gpuAllowed(), String.valueOf(x.reconsiderAt())));
                }
            }
        }
    }

    @Test
    void anUnknownVariableIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> custom("idle_secs > 300"))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> {
                    assertThat(e.key()).isEqualTo("start");
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(1);
                    assertThat(e.problem()).contains("undeclared reference to 'idle_secs'");
                })
                .hasMessageStartingWith("policy.start: line 1, column 1: undeclared reference to 'idle_secs'");
    }

    @Test
    void aTypeErrorOnTheSecondLineIsRefusedWithLineAndColumn() {
        assertThatThrownBy(() -> Policy.of(PolicyPresets.named("desktop")
                        .withOverrides(Map.of(
                                "start",
                                "idle_seconds > 300",
                                "freeze",
                                "present &&\n  idle_seconds > 'a minute'",
                                "thaw",
                                "true",
                                "vacate",
                                "false"))))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> {
                    assertThat(e.key()).isEqualTo("freeze");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(16);
                    assertThat(e.problem()).contains("no matching overload for '_>_' applied to '(int, string)'");
                })
                .hasMessageStartingWith("policy.freeze: line 2, column 16: found no matching overload");
    }

    @Test
    void aSyntaxErrorIsRefusedWhereItIs() {
        assertThatThrownBy(() -> custom("idle_seconds >")).isInstanceOfSatisfying(InvalidPolicyException.class, e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isEqualTo(15);
            assertThat(e.problem()).contains("mismatched input '<EOF>'");
        });
    }

    @Test
    void anExpressionMustBeACondition() {
        assertThatThrownBy(() -> custom("idle_seconds"))
                .hasMessage("policy.start: line 1, column 1: expected type 'bool' but found 'int'");
    }

    @Test
    void aCustomPolicyNeedsItsFourExpressions() {
        assertThatThrownBy(() -> Policy.of(
                        PolicyPresets.named("desktop").withOverrides(Map.of("start", "true", "freeze", "false"))))
                .isInstanceOfSatisfying(
                        InvalidPolicyException.class, e -> assertThat(e.key()).isEqualTo("thaw"))
                .hasMessageContaining("missing: thaw, vacate");
    }

    @Test
    void numbersOfBothKindsCompare() {
        Policy p = custom(
                "owner_cpus <= 1 && cores >= 4 && owner_cpu_fraction < 0.5 && battery_percent == -1 && job_state == 'none'");
        Instant now = DeskScript.at("12:10");

        StartDecision d = p.mayStart(now, presence(now, 0.5), machine());

        assertThat(d.allowed()).isTrue();
        assertThat(d.reasons().getFirst())
                .isEqualTo(
                        "start is true: owner_cpus <= 1 && cores >= 4 && owner_cpu_fraction < 0.5 && "
                                + "battery_percent == -1 && job_state == 'none' [owner_cpus=0.5, cores=4.0, owner_cpu_fraction=0.125, battery_percent=-1, job_state=none]");
    }

    @Test
    void anExpressionThatFailsTakesTheOwnersSide() {
        Policy p = Policy.of(PolicyPresets.named("desktop")
                .withOverrides(Map.of(
                        "start",
                        "true",
                        "freeze",
                        "idle_seconds / (job_run_seconds - job_run_seconds) > 0",
                        "thaw",
                        "false",
                        "vacate",
                        "false")));
        Instant now = DeskScript.at("12:10");
        AttemptFacts running =
                new AttemptFacts(AttemptState.RUNNING, now.minusSeconds(60), Duration.ofSeconds(60), true, null, false);

        Decision d = p.decide(new PolicyInput(now, presence(now, 0.2), machine(), running));

        assertThat(d.action()).isEqualTo(Action.FREEZE);
        assertThat(d.reasons())
                .anySatisfy(r -> assertThat(r).contains("freeze failed").contains("counted as true, the owner's side"));
    }

    @Test
    void hardStopsStillApplyToCustomPolicies() {
        Policy p = custom("true");
        Instant now = DeskScript.at("12:10");
        OwnerObservations obs = OwnerObservations.startingAt(
                        now.minusSeconds(3600), PolicyPresets.named("desktop").presence())
                .with(new org.cyphon.core.owner.ExclusiveAppsSeen("procs", now, List.of("steam")));

        StartDecision d = p.mayStart(now, PresenceFusion.fuse(obs, now), machine());

        assertThat(d.allowed()).isFalse();
        assertThat(d.reasons()).containsExactly("exclusive app running: steam: hands off");
    }

    @Test
    void thawNeverFlapsAgainstFreeze() {
        Policy p = Policy.of(PolicyPresets.named("desktop")
                .withOverrides(
                        Map.of("start", "true", "freeze", "owner_cpus > 0.1", "thaw", "true", "vacate", "false")));
        Instant now = DeskScript.at("12:10");
        AttemptFacts frozen =
                new AttemptFacts(AttemptState.FROZEN, now.minusSeconds(60), Duration.ofMinutes(10), true, null, false);

        Decision d = p.decide(new PolicyInput(now, presence(now, 0.2), machine(), frozen));

        assertThat(d.action()).isEqualTo(Action.FREEZE);
        assertThat(d.reasons()).anySatisfy(r -> assertThat(r).contains("stays frozen though thaw is true"));
    }

    @Test
    void aDeskWhereNobodyWasEverSeenPassesEveryIdleThresholdAtOnce() {
        Instant now = DeskScript.at("12:10");
        // The agent started a minute ago on a headless machine: nobody to watch, so idle for good.
        OwnerObservations obs = OwnerObservations.startingAt(
                        now.minusSeconds(60), PolicyPresets.named("desktop").presence())
                .headless();
        Presence headless = PresenceFusion.fuse(obs, now);

        StartDecision desktop = Policy.of(PolicyPresets.named("desktop")).mayStart(now, headless, machine());
        StartDecision cel = custom("idle_seconds >= 15 * 60").mayStart(now, headless, machine());

        assertThat(desktop.allowed()).isTrue();
        assertThat(desktop.reasons().getFirst()).startsWith("owner idle for good (start_after_idle = ");
        assertThat(cel.allowed()).isTrue();
    }

    private static Policy custom(String start) {
        return Policy.of(PolicyPresets.named("desktop")
                .withOverrides(Map.of("start", start, "freeze", "present", "thaw", "!present", "vacate", "false")));
    }

    private static MachineFacts machine() {
        return new MachineFacts(4, 1, ZoneOffset.UTC);
    }

    private static Presence presence(Instant now, double ownerCpus) {
        OwnerObservations obs = OwnerObservations.startingAt(
                        now.minusSeconds(3600), PolicyPresets.named("desktop").presence())
                .with(new InputSeen("evdev:/dev/input/event3", now.minusSeconds(600), now.minusSeconds(600)))
                .with(new LoadSeen("proc", now, ownerCpus, 4, 1, 0, 0));
        return PresenceFusion.fuse(obs, now);
    }
}
