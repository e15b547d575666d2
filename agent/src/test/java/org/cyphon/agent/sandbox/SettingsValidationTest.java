package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inputs that would turn into odd cgroup paths or a misconfigured sandbox are refused up front. */
class SettingsValidationTest {
    static final Path DIR = Path.of("/tmp");

    static LaunchSpec spec(String id) {
        return new LaunchSpec(id, List.of("true"), Map.of(), DIR, DIR.resolve("o"), DIR.resolve("e"), 0, 1 << 20, null);
    }

    @Test
    void jobIdsMustBeSafeCgroupNames() {
        assertThat(spec("j42-a1.x_y").id()).isEqualTo("j42-a1.x_y");
        for (String bad : List.of("", "..", ".hidden", "a/b", "a b", "x".repeat(101), "é")) {
            assertThatThrownBy(() -> spec(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSpecNeedsACommandAndAPositiveMemoryLimit() {
        assertThatThrownBy(() -> new LaunchSpec("j", List.of(), Map.of(), DIR, DIR, DIR, 0, 1, null))
                .hasMessageContaining("empty command");
        assertThatThrownBy(() -> new LaunchSpec("j", List.of("true"), Map.of(), DIR, DIR, DIR, 0, 0, null))
                .hasMessageContaining("memoryBytes must be positive");
        assertThat(new LaunchSpec("j", List.of("true"), Map.of(), DIR, DIR, DIR, 0, 1, " ").runAsUser())
                .isNull();
    }

    @Test
    void theEnvironmentAndTheProgramNameMustSurviveEnvOne() {
        assertThatThrownBy(() -> new LaunchSpec("j", List.of("A=B"), Map.of(), DIR, DIR, DIR, 0, 1, null))
                .hasMessageContaining("contains '='");
        assertThatThrownBy(() -> new LaunchSpec("j", List.of("true"), Map.of("A=B", "x"), DIR, DIR, DIR, 0, 1, null))
                .hasMessageContaining("'A=B' is not valid");
        assertThatThrownBy(() -> new LaunchSpec("j", List.of("true"), Map.of("A", "x\0y"), DIR, DIR, DIR, 0, 1, null))
                .hasMessageContaining("'A' is not valid");
        assertThatThrownBy(() -> new LaunchSpec("j", List.of("true", "a\0b"), Map.of(), DIR, DIR, DIR, 0, 1, null))
                .hasMessageContaining("NUL");
    }

    @Test
    void settingsDefaultAndRejectUnknownModesAndEscapingParents() {
        assertThat(SandboxSettings.defaults())
                .isEqualTo(new SandboxSettings(Path.of("/sys/fs/cgroup"), "cyphon", "auto"));
        assertThat(new SandboxSettings(DIR, null, null)).isEqualTo(new SandboxSettings(DIR, "cyphon", "auto"));
        assertThat(new SandboxSettings(DIR, "system.slice/cyphon", "cgroup-v2").parent())
                .isEqualTo("system.slice/cyphon");
        assertThatThrownBy(() -> new SandboxSettings(DIR, "cyphon", "v3")).hasMessageContaining("'v3' is not one of");
        for (String bad : List.of("../etc", "/abs", "a//b", "a/../b", "a/")) {
            assertThatThrownBy(() -> new SandboxSettings(DIR, bad, "auto"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
