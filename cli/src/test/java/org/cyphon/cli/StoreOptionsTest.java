package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.coordinator.StorePassword;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cyphon up --store}: the URL from the flag, the password from a 0600 file or the environment only. */
class StoreOptionsTest {
    @TempDir
    Path dir;

    @Test
    void thePasswordComesFromTheFileElseTheEnvironmentNeverTheUrl() throws Exception {
        CoordinatorConfig base = CoordinatorConfig.defaults(dir);
        CoordinatorConfig fromEnv =
                StoreOptions.apply(base, "postgresql://cyphon@db/pool", null, Map.of(StorePassword.ENV, "from-env"));
        assertThat(fromEnv.jdbcUrl()).isEqualTo("jdbc:postgresql://db/pool");
        assertThat(fromEnv.storeUser()).isEqualTo("cyphon");
        assertThat(fromEnv.storePassword()).isEqualTo("from-env");

        Path file = dir.resolve("pw");
        Files.writeString(file, "from-file\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(StoreOptions.apply(base, "postgresql://cyphon@db/pool", file, Map.of(StorePassword.ENV, "from-env"))
                        .storePassword())
                .isEqualTo("from-file");
        // None given: empty, so that the PostgreSQL driver reads ~/.pgpass itself.
        assertThat(StoreOptions.apply(base, "postgresql://cyphon@db/pool", null, Map.of())
                        .storePassword())
                .isEmpty();

        assertThatThrownBy(() -> StoreOptions.apply(base, "postgresql://cyphon:hunter2@db/pool", null, Map.of()))
                .hasMessageStartingWith("--store: carries a password")
                .hasMessageNotContaining("hunter2");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> StoreOptions.apply(base, "postgresql://cyphon@db/pool", file, Map.of()))
                .hasMessageStartingWith("--store-password-file: ")
                .hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> StoreOptions.apply(base, null, file, Map.of())).hasMessageContaining("needs --store");
    }

    @Test
    void upRefusesABadStoreBeforeItStartsAnything() {
        Path data = dir.resolve("data");
        CliRun r = CliRun.of("up", "--data", data.toString(), "--port", "0", "--store", "postgresql://u:pw@db/pool");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("cyphon up: --store: carries a password").doesNotContain("pw@");
        assertThat(data).as("nothing started, nothing written").doesNotExist();
    }
}
