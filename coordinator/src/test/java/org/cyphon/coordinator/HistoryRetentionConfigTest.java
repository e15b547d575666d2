package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code profiles.history_retention}: how long presence intervals are kept. */
class HistoryRetentionConfigTest {
    @TempDir
    Path dir;

    @Test
    void theRetentionIsNinetyDaysUnlessTheFileSaysOtherwise() throws Exception {
        assertThat(CoordinatorConfig.defaults(dir).historyRetention()).isEqualTo(Duration.ofDays(90));
        Path file = Files.writeString(dir.resolve("coordinator.toml"), "[profiles]\nhistory_retention = \"30d\"\n");
        assertThat(CoordinatorConfig.load(file).historyRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void aBadRetentionNamesItsKey() throws Exception {
        Path zero = Files.writeString(dir.resolve("zero.toml"), "[profiles]\nhistory_retention = \"1h\"\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(zero))
                .hasMessageContaining("profiles.history_retention")
                .hasMessageContaining("1d");
        Path junk = Files.writeString(dir.resolve("junk.toml"), "[profiles]\nhistory_retention = \"soon\"\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(junk)).hasMessageContaining("profiles.history_retention");
        Path typo = Files.writeString(dir.resolve("typo.toml"), "[profiles]\nretention = \"30d\"\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(typo))
                .hasMessageContaining("retention")
                .hasMessageContaining("unknown key");
    }
}
