package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cyphon.cli.client.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an installed coordinator and agent find their configuration when given no --config. */
class InstalledConfigTest {

    @Test
    void theInstalledDirectorysFileWhenTheLauncherNamesOne(@TempDir Path etc) throws Exception {
        Files.writeString(etc.resolve("coordinator.toml"), "data_dir = \"/var/lib/cyphon/coordinator\"\n");
        Map<String, String> env = Map.of("CYPHON_CONFIG_DIR", etc.toString());

        assertThat(InstalledConfig.file(env, "coordinator.toml")).isEqualTo(etc.resolve("coordinator.toml"));
        assertThatThrownBy(() -> InstalledConfig.file(env, "agent.toml"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining(etc.resolve("agent.toml").toString())
                .hasMessageContaining("--config");
    }

    @Test
    void nothingInAGitCloneWhereNoLauncherSetsTheVariable() {
        assertThat(InstalledConfig.file(Map.of(), "coordinator.toml")).isNull();
        assertThat(InstalledConfig.file(Map.of("CYPHON_CONFIG_DIR", " "), "agent.toml"))
                .isNull();
    }
}
