package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The [policy] section: presets, overrides, and errors that name the key. */
class PolicySettingsTest {

    @Test
    void everyPresetIsCompleteAndBuildsAPolicy() {
        assertThat(PolicyPresets.names())
                .containsExactly("desktop", "strict", "htcondor-desktop", "boinc-default", "nights-only", "dedicated");
        for (String name : PolicyPresets.names()) {
            PolicySettings s = PolicyPresets.named(name);
            assertThat(s.preset()).isEqualTo(name);
            assertThat(s.texts().keySet())
                    .containsExactlyElementsOf(
                            PolicyKeys.all().stream().map(PolicyKeys.Key::name).toList());
            assertThat(Policy.of(s).name()).isEqualTo(name);
        }
    }

    @Test
    void presetsCarryTheirDocumentedThresholds() {
        PolicySettings desktop = PolicyPresets.named("desktop");
        assertThat(desktop.startAfterIdle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(desktop.whenPresent()).isEqualTo(WhenPresent.LINGER);
        assertThat(desktop.thawAfterIdle()).isEqualTo(Duration.ofMinutes(2));
        assertThat(desktop.vacateAfterFrozen()).isEqualTo(Duration.ofMinutes(10));
        assertThat(desktop.runOnBattery()).isFalse();

        PolicySettings condor = PolicyPresets.named("htcondor-desktop");
        assertThat(condor.startAfterIdle()).isEqualTo(Duration.ofMinutes(15));
        assertThat(condor.startOwnerCpuMax()).isEqualTo(new CpuLimit(CpuLimit.Kind.CPUS, 0.3));
        assertThat(condor.ownerCpuMax()).isEqualTo(new CpuLimit(CpuLimit.Kind.CPUS, 0.5));
        assertThat(condor.contendFor()).isEqualTo(Duration.ofMinutes(2));
        assertThat(condor.contendAfterRun()).isEqualTo(Duration.ofSeconds(90));
        assertThat(condor.thawAfterIdle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(condor.vacateAfterFrozen()).isEqualTo(Duration.ofMinutes(10));
        assertThat(condor.vacateGrace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(condor.evaluateEvery()).isEqualTo(Duration.ofSeconds(5));

        PolicySettings boinc = PolicyPresets.named("boinc-default");
        assertThat(boinc.startAfterIdle()).isEqualTo(Duration.ofMinutes(3));
        assertThat(boinc.whenPresent()).isEqualTo(WhenPresent.RUN);
        assertThat(boinc.ownerCpuMax()).isEqualTo(new CpuLimit(CpuLimit.Kind.PERCENT_OF_CORES, 25));
        assertThat(boinc.evaluateEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(boinc.vacateAfterFrozen()).isNull();
    }

    @Test
    void overridesAreParsedAsPeopleWriteThem() {
        PolicySettings s = PolicyPresets.named("desktop")
                .withOverrides(Map.ofEntries(
                        Map.entry("contend_for", "5s"),
                        Map.entry("start_after_idle", "1h30m"),
                        Map.entry("vacate_after_frozen", "off"),
                        Map.entry("owner_cpu_max", "25%"),
                        Map.entry("memory_pressure_max", "off"),
                        Map.entry("cpu_pressure_max", "35"),
                        Map.entry("when_present", "FREEZE"),
                        Map.entry("run_on_battery", "true"),
                        Map.entry("gpu_busy_max", "30%"),
                        Map.entry("window", "mon-fri 18:00-24:00, sat-sun"),
                        Map.entry("time_zone", "Europe/Paris"),
                        Map.entry("linger_io_max", "8M/s"),
                        Map.entry("ignored_users", "cyphon, nobody"),
                        Map.entry("ignored_inhibitors", "gsd-power")));

        assertThat(s.contendFor()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.startAfterIdle()).isEqualTo(Duration.ofMinutes(90));
        assertThat(s.vacateAfterFrozen()).isNull();
        assertThat(s.ownerCpuMax().cpus(8, 2)).isEqualTo(2.0);
        assertThat(s.memoryPressureMax()).isNull();
        assertThat(s.cpuPressureMax()).isEqualTo(35.0);
        assertThat(s.whenPresent()).isEqualTo(WhenPresent.FREEZE);
        assertThat(s.runOnBattery()).isTrue();
        assertThat(s.gpuBusyMax()).isEqualTo(0.3);
        assertThat(s.window().toString()).isEqualTo("mon-fri 18:00-24:00, sat-sun");
        assertThat(s.timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(s.lingerCaps()).isEqualTo(new LingerCaps(0.5, 8L << 20));
        assertThat(s.presence().ignoredUsers()).containsExactlyInAnyOrder("cyphon", "nobody");
        assertThat(s.presence().ignoredInhibitors()).containsExactly("gsd-power");
        assertThat(s.texts()).containsEntry("contend_for", "5s").containsEntry("preset", "desktop");
        // the rest is still the preset's
        assertThat(s.thawAfterIdle()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aPresetKeyStartsOverFromThatPreset() {
        PolicySettings s = PolicySettings.fromConfig(Map.of("preset", "htcondor-desktop", "start_after_idle", "20m"));

        assertThat(s.preset()).isEqualTo("htcondor-desktop");
        assertThat(s.startAfterIdle()).isEqualTo(Duration.ofMinutes(20));
        assertThat(s.evaluateEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(PolicySettings.fromConfig(Map.of()).preset()).isEqualTo("desktop");
    }

    @Test
    void anUnknownKeyIsRefusedByName() {
        assertThatThrownBy(() -> PolicyPresets.named("desktop").withOverrides(Map.of("contend_fro", "5s")))
                .isInstanceOfSatisfying(
                        InvalidPolicyException.class, e -> assertThat(e.key()).isEqualTo("contend_fro"))
                .hasMessageStartingWith("policy.contend_fro: unknown key 'contend_fro' (known here: ")
                .hasMessageContaining("contend_for");
    }

    @Test
    void anUnknownPresetListsTheKnownOnes() {
        assertThatThrownBy(() -> PolicyPresets.named("laptop"))
                .hasMessage(
                        "policy.preset: unknown preset 'laptop' (known: desktop, strict, htcondor-desktop, boinc-default, nights-only, dedicated)");
    }

    @Test
    void badValuesNameTheKeyAndSayWhatIsWrong() {
        Map<String, String> cases = Map.of(
                "contend_for", "soon",
                "owner_cpu_max", "lots",
                "when_present", "maybe",
                "window", "weekdays",
                "time_zone", "Mars/Olympus",
                "cpu_pressure_max", "150%",
                "run_on_battery", "yes please",
                "linger_io_max", "fast");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThatThrownBy(() -> PolicyPresets.named("desktop").withOverrides(Map.of(c.getKey(), c.getValue())))
                    .as(c.getKey())
                    .isInstanceOfSatisfying(
                            InvalidPolicyException.class,
                            e -> assertThat(e.key()).isEqualTo(c.getKey()))
                    .hasMessageStartingWith("policy." + c.getKey() + ": '" + c.getValue() + "'");
        }
        assertThatThrownBy(() -> PolicyPresets.named("desktop").withOverrides(Map.of("when_present", "maybe")))
                .hasMessage("policy.when_present: 'maybe' is not one of freeze, linger, run");
        assertThatThrownBy(() -> PolicyPresets.named("desktop").withOverrides(Map.of("contend_for", "soon")))
                .hasMessageContaining("is not a duration (examples: 90s, 5m");
    }

    @Test
    void inconsistentSettingsAreRefused() {
        assertThatThrownBy(() -> PolicyPresets.named("desktop").withOverrides(Map.of("contend_for", "20m")))
                .hasMessage("policy.contend_for: 20m00s is longer than load_history (15m00s); raise load_history");
        assertThat(PolicyPresets.named("desktop")
                        .withOverrides(Map.of("contend_for", "20m", "load_history", "30m"))
                        .contendFor())
                .isEqualTo(Duration.ofMinutes(20));
        assertThatThrownBy(() -> PolicyPresets.named("strict").withOverrides(Map.of("thaw_after_idle", "30s")))
                .isInstanceOfSatisfying(
                        InvalidPolicyException.class, e -> assertThat(e.key()).isEqualTo("thaw_after_idle"));
        assertThatThrownBy(() -> PolicyPresets.named("desktop").withOverrides(Map.of("evaluate_every", "10ms")))
                .hasMessageContaining("evaluate_every");
    }

    @Test
    void cpuAmountsReadAllFourWays() {
        assertThat(CpuLimit.parse("0.5").cpus(4, 1)).isEqualTo(0.5);
        assertThat(CpuLimit.parse("25%").cpus(4, 1)).isEqualTo(1.0);
        assertThat(CpuLimit.parse("free").cpus(4, 1)).isEqualTo(3.0);
        assertThat(CpuLimit.parse("free").cpus(4, 4)).as("at least one CPU").isEqualTo(1.0);
        assertThat(CpuLimit.parse("off").cpus(4, 1)).isInfinite();
        assertThat(List.of(CpuLimit.parse("0.5"), CpuLimit.parse("25%"), CpuLimit.parse("free"), CpuLimit.parse("off")))
                .extracting(CpuLimit::toString)
                .containsExactly("0.5", "25%", "free", "off");
        assertThatThrownBy(() -> CpuLimit.parse("-1")).hasMessageContaining("not a CPU amount");
    }
}
