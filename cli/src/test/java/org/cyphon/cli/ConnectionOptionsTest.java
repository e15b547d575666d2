package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.cyphon.cli.client.ClientConfig;
import org.cyphon.cli.client.Endpoint;
import org.cyphon.cli.client.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where a command finds its coordinator: flags, then environment, then the client config file. */
class ConnectionOptionsTest {
    @TempDir
    Path dir;

    private Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.toString()); // never the real ~/.config of whoever runs the tests
        for (int i = 0; i < kv.length; i += 2) env.put(kv[i], kv[i + 1]);
        return env;
    }

    private Endpoint resolve(Map<String, String> env, String... args) {
        QueueCommand q = new QueueCommand();
        new CommandLine(q).parseArgs(args);
        return q.connection.endpoint(env);
    }

    @Test
    void flagsBeatEnvironmentBeatsFile() {
        Path file = dir.resolve("client.toml");
        ClientConfig.write(file, "http://file:1", "file-token");

        Map<String, String> fileOnly = env("CYPHON_CONFIG", file.toString());
        assertThat(resolve(fileOnly)).isEqualTo(new Endpoint(URI.create("http://file:1"), "file-token"));

        Map<String, String> withEnv =
                env("CYPHON_CONFIG", file.toString(), "CYPHON_URL", "http://env:2", "CYPHON_TOKEN", "env-token");
        assertThat(resolve(withEnv)).isEqualTo(new Endpoint(URI.create("http://env:2"), "env-token"));

        assertThat(resolve(withEnv, "--url", "http://flag:3/", "--token", "flag-token"))
                .isEqualTo(new Endpoint(URI.create("http://flag:3"), "flag-token"));
    }

    @Test
    void urlAndTokenAreResolvedEachOnItsOwn() {
        Path file = dir.resolve("client.toml");
        ClientConfig.write(file, "http://file:1", "file-token");

        Endpoint e = resolve(env("CYPHON_CONFIG", file.toString(), "CYPHON_TOKEN", "env-token"));

        assertThat(e).isEqualTo(new Endpoint(URI.create("http://file:1"), "env-token"));
    }

    @Test
    void theDefaultFileIsUnderXdgConfigHome() {
        Path xdg = dir.resolve("xdg");
        ClientConfig.write(xdg.resolve("cyphon/client.toml"), "http://xdg:4/api/v1", "xdg-token");

        assertThat(resolve(env("XDG_CONFIG_HOME", xdg.toString())))
                .isEqualTo(new Endpoint(URI.create("http://xdg:4"), "xdg-token"));
    }

    @Test
    void nothingConfiguredSaysHowToConfigure() {
        assertThatThrownBy(() -> resolve(env()))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("no coordinator configured")
                .hasMessageContaining("cyphon up")
                .hasMessageContaining("CYPHON_URL")
                .hasMessageContaining(dir.resolve(".config/cyphon/client.toml").toString());
        assertThatThrownBy(() -> resolve(env("CYPHON_URL", "http://c:1")))
                .hasMessageStartingWith("no token configured");
    }

    @Test
    void aMissingExplicitConfigFileIsAnError() {
        Path missing = dir.resolve("missing.toml");
        assertThatThrownBy(() -> resolve(env("CYPHON_CONFIG", missing.toString())))
                .hasMessage("CYPHON_CONFIG names " + missing + ", which does not exist");
    }

    @Test
    void aUrlThatIsNotHttpNamesWhereItCameFrom() {
        assertThatThrownBy(() -> resolve(env("CYPHON_URL", "coord:8080", "CYPHON_TOKEN", "t")))
                .hasMessageStartingWith("CYPHON_URL: 'coord:8080' is not an http(s) URL");
        assertThatThrownBy(() -> resolve(env(), "--url", "ftp://x", "--token", "t"))
                .hasMessageStartingWith("--url: 'ftp://x' is not an http(s) URL");
    }

    @Test
    void anUnreachableCoordinatorIsOneLineAndExitCode2() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new QueueCommand()).execute("--url", url, "--token", "t");
        } finally {
            System.setErr(oldErr);
        }

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("cyphon: cannot reach the coordinator at " + url + ": ")
                .hasLineCount(1);
    }

    @Test
    void theWrittenConfigIsReadByTheResolver() throws Exception {
        Path file = dir.resolve("deep/er/client.toml");
        ClientConfig.write(file, "https://secure:443", "s3cret");

        assertThat(Files.exists(file)).isTrue();
        assertThat(resolve(env("CYPHON_CONFIG", file.toString())).url()).isEqualTo(URI.create("https://secure:443"));
    }
}
