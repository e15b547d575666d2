package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A desk joins with a join line, as an admin and a desk would do it: real coordinator, real agent
 * processes, the real CLI. Then the attacks of issue 11 on the same pool: the stolen line used by
 * a second machine, an impostor under the real desk's name with a valid line of its own, the
 * forgotten desk's credential; and every secret searched for in every process's log.
 */
class JoinIT {
    @TempDir
    Path dir;

    private final List<CyphonProcess> started = new ArrayList<>();

    @Test
    void aDeskJoinsWithALineAndNeitherAStolenLineNorAnImpostorGetsIn() throws Exception {
        try (TestPool pool = new TestPool(dir).startCoordinator()) {
            String line = joinLine(pool);
            assertThat(line).startsWith("cyphon-join:" + pool.url + ",-,");
            String secret = line.substring(line.lastIndexOf(',') + 1);

            Path config = dir.resolve("etc").resolve("agent.toml");
            CyphonProcess.Result wrote = CyphonProcess.run(
                    Map.of(), "agent", "join", line, "--config", config.toString(), "--name", "desk-a");
            assertThat(wrote.exitCode()).as(wrote.toString()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                    .isEqualTo("rw-------");
            String toml = Files.readString(config);
            assertThat(toml)
                    .contains("coordinator = \"" + pool.url + "\"")
                    .contains("enroll_token = \"" + secret + "\"")
                    .contains("name = \"desk-a\"")
                    .doesNotContain("ca_fingerprint");
            // A second line does not silently replace the desk's config.
            String other = joinLine(pool);
            CyphonProcess.Result refused = CyphonProcess.run(
                    Map.of(), "agent", "join", other, "--config", config.toString(), "--name", "desk-a");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.stderr()).contains("--force");
            assertThat(Files.readString(config)).isEqualTo(toml);

            CyphonProcess real = agent("desk-a", config);
            real.awaitLine("agent desk-a joined", Duration.ofSeconds(60));

            // The stolen line, used again by another machine: refused (401), the agent stops.
            // (The agent's HTTP client drops a 401's body, so its line says only "refused (HTTP 401)";
            // the coordinator's reason, "used up", is asserted over HTTP in IdentityTest.)
            CyphonProcess thief = agent("thief", joinedConfig(line, "thief"));
            assertThat(exited(thief).log()).contains("HTTP 401");
            // An impostor with a valid line of its own, under the real desk's name: refused.
            CyphonProcess impostor = agent("impostor", joinedConfig(other, "desk-a"));
            assertThat(exited(impostor).log()).contains("already enrolled").contains("--forget");
            assertThat(pool.get("/machines").path("machines").toString())
                    .contains("\"desk-a\"")
                    .doesNotContain("thief");
            assertThat(pool.get("/machines/desk-a").path("state").asText()).isEqualTo("online");
            assertThat(real.alive()).isTrue();

            // Forgotten: the desk's own credential gets 401 from then on, and the forget is on record.
            String agentToken = credential(dir.resolve("state-desk-a"));
            assertThat(agentCall(pool, agentToken)).isEqualTo(200);
            CyphonProcess.Result forgot = pool.cli("machine", "desk-a", "--forget");
            assertThat(forgot.exitCode()).as(forgot.toString()).isZero();
            assertThat(forgot.stdout()).contains("forgotten");
            assertThat(agentCall(pool, agentToken)).isEqualTo(401);
            assertThat(pool.get("/machines/desk-a/desk/audit").toString()).contains("forget");
            CyphonProcess.Result listed = pool.cli("join-token", "--list");
            assertThat(listed.stdout()).contains("used up").doesNotContain(secret);

            // No secret in any log: the coordinator's, the agents', the CLI's output.
            String admin = Files.readString(pool.data.resolve("admin.token")).trim();
            for (Path log : logs()) {
                String text = Files.readString(log);
                assertThat(text)
                        .as(log.toString())
                        .doesNotContain(secret)
                        .doesNotContain(other.substring(other.lastIndexOf(',') + 1))
                        .doesNotContain(agentToken)
                        .doesNotContain(admin);
            }
            assertThat(wrote.stderr() + refused.stderr() + forgot.stdout()).doesNotContain(secret);
        } finally {
            for (CyphonProcess p : started) p.close();
        }
    }

    private static String joinLine(TestPool pool) throws Exception {
        CyphonProcess.Result r = pool.cli("join-token", "--expires", "1h");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("cyphon agent join");
        return r.stdout().strip();
    }

    private Path joinedConfig(String line, String name) throws Exception {
        Path config = dir.resolve(name + "-" + started.size() + ".toml");
        CyphonProcess.Result r =
                CyphonProcess.run(Map.of(), "agent", "join", line, "--config", config.toString(), "--name", name);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return config;
    }

    private CyphonProcess agent(String name, Path config) throws Exception {
        CyphonProcess p = CyphonProcess.start(
                dir.resolve("agent-" + name + "-" + started.size() + ".log"),
                Map.of(),
                "agent",
                "--config",
                config.toString(),
                "--state-dir",
                dir.resolve("state-" + name).toString());
        started.add(p);
        return p;
    }

    private static CyphonProcess exited(CyphonProcess p) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !p.alive());
        return p;
    }

    private static String credential(Path stateDir) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(stateDir.resolve("credentials"))) {
            p.load(in);
        }
        return p.getProperty("token");
    }

    private static int agentCall(TestPool pool, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(pool.url + "/api/v1/agents/desk-a/work?waitMs=0"))
                                .header("Authorization", "Bearer " + token)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private List<Path> logs() throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .toList();
        }
    }
}
