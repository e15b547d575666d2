package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.config.AgentConfigLoader;
import org.cyphon.core.protocol.JoinLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cyphon agent join}: the agent.toml it writes, and what it refuses to overwrite. */
class AgentJoinCommandTest {
    private static final String SECRET = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

    @TempDir
    Path dir;

    @Test
    void writesAConfigTheAgentLoadsOwnerOnly() throws Exception {
        Path file = dir.resolve("etc/cyphon/agent.toml");
        String line = new JoinLine(URI.create("http://127.0.0.1:7070"), null, SECRET).format();
        assertThat(run("agent", "join", line, "--config", file.toString(), "--name", "desk-1"))
                .isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        AgentConfig c = AgentConfigLoader.load(file);
        assertThat(c.name()).isEqualTo("desk-1");
        assertThat(c.coordinator()).isEqualTo(URI.create("http://127.0.0.1:7070"));
        assertThat(c.enrollToken()).isEqualTo(SECRET);
        // No temporary file is left beside it.
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("agent.toml");
        }
    }

    @Test
    void aPinnedCaIsWrittenForTheAgentToCheck() {
        String ca = "sha256:" + "ab".repeat(32);
        String toml =
                AgentJoinCommand.agentToml(new JoinLine(URI.create("https://pool.example:7070"), ca, SECRET), null);
        assertThat(toml)
                .contains("ca_fingerprint = \"" + ca + "\"")
                .contains("coordinator = \"https://pool.example:7070\"")
                .doesNotContain("name =");
    }

    @Test
    void fillsTheShippedCommentedDefaultsButRefusesToReplaceARealConfigWithoutForce() throws Exception {
        Path file = dir.resolve("agent.toml");
        Files.writeString(file, "# coordinator = \"http://127.0.0.1:7070\"\n\n[sandbox]\n# mode = \"auto\"\n");
        String line = new JoinLine(URI.create("http://127.0.0.1:7070"), null, SECRET).format();
        assertThat(run("agent", "join", line, "--config", file.toString())).isZero();
        assertThat(Files.readString(file)).contains("enroll_token = ").contains("# mode = \"auto\"");
        String before = Files.readString(file);
        String other = new JoinLine(URI.create("http://127.0.0.1:7070"), null, SECRET.replace('A', 'B')).format();
        assertThat(run("agent", "join", other, "--config", file.toString())).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(run("agent", "join", other, "--config", file.toString(), "--force"))
                .isZero();
        assertThat(Files.readString(file)).contains(SECRET.replace('A', 'B'));
        assertThat(Files.readString(dir.resolve("agent.toml.old"))).isEqualTo(before);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("agent.toml.old"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aBadLineIsAUsageErrorThatNeverEchoesTheSecret() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = run(
                    "agent",
                    "join",
                    "cyphon-join:http://x:1,sha256:nothex," + SECRET,
                    "--config",
                    dir.resolve("a.toml").toString());
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("fingerprint").doesNotContain(SECRET);
        assertThat(dir.resolve("a.toml")).doesNotExist();
    }

    private static int run(String... args) {
        return Main.run(args);
    }
}
