package org.cyphon.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultPathFollowsCyphonConfigThenXdgThenHome() {
        assertThat(ClientConfig.defaultPath(
                        Map.of("CYPHON_CONFIG", "/etc/c.toml", "XDG_CONFIG_HOME", "/x", "HOME", "/h")))
                .isEqualTo(Path.of("/etc/c.toml"));
        assertThat(ClientConfig.defaultPath(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h")))
                .isEqualTo(Path.of("/x/cyphon/client.toml"));
        assertThat(ClientConfig.defaultPath(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/h")))
                .isEqualTo(Path.of("/h/.config/cyphon/client.toml"));
        assertThat(ClientConfig.defaultPath(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.config/cyphon/client.toml"));
    }

    @Test
    void writeCreatesDirectoriesAndAPrivateFileThatReadsBack() throws Exception {
        Path file = dir.resolve("a/b/client.toml");
        String awkwardToken = "t\"o\\k\ten";

        ClientConfig.write(file, "http://coord:8080", awkwardToken);

        ClientConfig read = ClientConfig.read(file);
        assertThat(read.url()).isEqualTo("http://coord:8080");
        assertThat(read.token()).isEqualTo(awkwardToken);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaries() throws Exception {
        Path file = dir.resolve("client.toml");
        ClientConfig.write(file, "http://old:1", "old");

        ClientConfig.write(file, "http://new:2", "new");

        assertThat(ClientConfig.read(file).url()).isEqualTo("http://new:2");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void missingFileReadsAsNull() {
        assertThat(ClientConfig.read(dir.resolve("none.toml"))).isNull();
    }

    @Test
    void unknownKeyIsRejectedByName() throws Exception {
        Path file = dir.resolve("client.toml");
        Files.writeString(file, "url = \"http://c:1\"\ntokn = \"x\"\n");

        assertThatThrownBy(() -> ClientConfig.read(file))
                .isInstanceOf(InvalidInput.class)
                .hasMessage(file + ": unknown key 'tokn' (known keys: url, token, ca_fingerprint, insecure_http)");
    }

    @Test
    void aPinnedCaIsWrittenAndReadBack() throws Exception {
        Path file = dir.resolve("client.toml");
        String pin = "sha256:" + "0f".repeat(32);
        ClientConfig.write(file, "https://coord:7070", null, pin);
        ClientConfig read = ClientConfig.read(file);
        assertThat(read.caFingerprint()).isEqualTo(pin);
        assertThat(read.token()).isNull();
        assertThat(read.insecureHttp()).isFalse();
        Files.writeString(file, "url = \"http://c:1\"\ninsecure_http = \"yes\"\n");
        assertThatThrownBy(() -> ClientConfig.read(file)).hasMessageContaining("insecure_http: must be true or false");
    }
}
