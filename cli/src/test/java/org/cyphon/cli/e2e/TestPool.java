package org.cyphon.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool of real processes on loopback for end-to-end tests: one coordinator (H2 file database)
 * and any number of agents, each a separate {@code java -jar cyphon.jar} process. Leases are
 * short so that crash tests finish in seconds.
 */
final class TestPool implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path base;
    final Path data;
    final int port;
    final String url;
    private CyphonProcess coordinator;
    private final Map<String, CyphonProcess> agents = new LinkedHashMap<>();
    private final List<CyphonProcess> all = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private String adminToken;

    TestPool(Path base) throws IOException {
        // Jobs run as 'nobody' when tests run as root: every directory above their work dirs must be traversable.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.base = base;
        this.data = base.resolve("coordinator");
        this.port = freePort();
        this.url = "http://127.0.0.1:" + port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    TestPool startCoordinator() throws Exception {
        Files.createDirectories(data);
        Path config = base.resolve("coordinator.toml");
        Files.writeString(config, """
                data_dir = "%s"
                [http]
                port = %d
                [leases]
                heartbeat = "500ms"
                lease = "4s"
                """.formatted(data, port));
        coordinator = CyphonProcess.start(
                base.resolve("coordinator-" + all.size() + ".log"),
                Map.of(),
                "coordinator",
                "--config",
                config.toString());
        all.add(coordinator);
        coordinator.awaitLine("coordinator listening on (http://\\S+)", Duration.ofSeconds(60));
        adminToken = Files.readString(data.resolve("admin.token")).trim();
        return this;
    }

    CyphonProcess coordinator() {
        return coordinator;
    }

    TestPool startAgent(String name, double cpus) throws Exception {
        // These tests are about the pool's machinery, not the owner: the desk always runs work.
        return startAgent(name, cpus, "[policy]\npreset = \"dedicated\"\n");
    }

    /** An agent whose owner-facing sections ({@code [policy]}, {@code [sensors]}) the test writes. */
    TestPool startAgent(String name, double cpus, String ownerSections) throws Exception {
        return startAgent(name, cpus, "", ownerSections);
    }

    /**
     * An agent with top-level keys of the test's ({@code owner = "..."}, before any table) and
     * sections of the test's.
     */
    TestPool startAgent(String name, double cpus, String topLevel, String ownerSections) throws Exception {
        Path state = base.resolve("agent-" + name);
        Path config = base.resolve("agent-" + name + ".toml");
        Files.writeString(
                config, """
                name = "%s"
                coordinator = "%s"
                enroll_token_file = "%s"
                state_dir = "%s"
                cpus = %s
                memory = "4G"
                %s
                [output]
                upload_every = "300ms"
                """.formatted(name, url, data.resolve("enroll.token"), state, cpus, topLevel) + ownerSections);
        CyphonProcess p = CyphonProcess.start(
                base.resolve("agent-" + name + "-" + all.size() + ".log"),
                Map.of(),
                "agent",
                "--config",
                config.toString());
        all.add(p);
        agents.put(name, p);
        p.awaitLine("agent \\S+ joined", Duration.ofSeconds(60));
        return this;
    }

    CyphonProcess agent(String name) {
        return agents.get(name);
    }

    /** Environment for CLI processes: URL and token through the documented variables. */
    Map<String, String> cliEnv() {
        return Map.of(
                "CYPHON_URL",
                url,
                "CYPHON_TOKEN",
                adminToken,
                "XDG_CONFIG_HOME",
                base.resolve("xdg").toString());
    }

    CyphonProcess.Result cli(String... args) throws IOException, InterruptedException {
        return CyphonProcess.run(cliEnv(), args);
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url + "/api/v1" + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200)
            throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url + "/api/v1" + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200)
            throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        return r.body();
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url + "/api/v1" + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every job in the store, terminal or not. */
    List<JsonNode> jobs() throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        get("/jobs?limit=100000").path("jobs").forEach(out::add);
        return out;
    }

    String logsOf(Path where) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(where)) {
            for (Path f :
                    files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                sb.append("===== ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    /** All processes' logs, to attach to a failing assertion. */
    String logs() throws IOException {
        return logsOf(base);
    }

    @Override
    public void close() throws Exception {
        for (int i = all.size() - 1; i >= 0; i--) all.get(i).close();
    }
}
