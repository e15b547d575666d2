package org.cyphon.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code [checkpoint]} keys: defaults, parsing, and errors in AgentConfigLoader's form. */
class CheckpointSettingsTest {
    @Test
    void nothingGivenMeansTheDefaults() {
        CheckpointSettings s = CheckpointSettings.parse(null, null, null, null, null, null);
        assertThat(s).isEqualTo(CheckpointSettings.DEFAULTS);
        assertThat(s.signal()).isEqualTo("TERM");
        assertThat(s.periodicSignal()).isEqualTo("USR1");
        assertThat(s.grace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.criu()).isEqualTo(CriuMode.AUTO);
        assertThat(s.maxBytes()).isEqualTo(1L << 30);
    }

    @Test
    void everyKeyIsRead() {
        CheckpointSettings s = CheckpointSettings.parse("sigint", "USR2", "2m", "500ms", "off", "256M");
        assertThat(s)
                .isEqualTo(new CheckpointSettings(
                        "INT", "USR2", Duration.ofMinutes(2), Duration.ofMillis(500), CriuMode.OFF, 256L << 20));
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> CheckpointSettings.parse("KILL", null, null, null, null, null))
                .hasMessageStartingWith(
                        "key 'checkpoint.signal': 'KILL' is not a signal a job can be asked to checkpoint with");
        assertThatThrownBy(() -> CheckpointSettings.parse(null, "STOP", null, null, null, null))
                .hasMessageStartingWith("key 'checkpoint.periodic_signal':");
        assertThatThrownBy(() -> CheckpointSettings.parse(null, null, "soon", null, null, null))
                .hasMessageStartingWith("key 'checkpoint.grace': 'soon' is not a duration");
        assertThatThrownBy(() -> CheckpointSettings.parse(null, null, "2h", null, null, null))
                .hasMessage("key 'checkpoint.grace': must be between 0s and 1h");
        assertThatThrownBy(() -> CheckpointSettings.parse(null, null, null, "10ms", null, null))
                .hasMessageStartingWith("key 'checkpoint.settle':");
        assertThatThrownBy(() -> CheckpointSettings.parse(null, null, null, null, "always", null))
                .hasMessage("key 'checkpoint.criu': 'always' is not one of auto, off");
        assertThatThrownBy(() -> CheckpointSettings.parse(null, null, null, null, null, "big"))
                .hasMessageStartingWith("key 'checkpoint.max_size': 'big' is not a size");
    }
}
