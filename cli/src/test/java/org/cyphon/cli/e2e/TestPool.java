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
import org.cyphon.coordinator.TestStore;

/**
 * A pool of real processes on loopback for end-to-end tests: one coordinator (on H2's file in its
 * data dir, or on a PostgreSQL schema of its own: {@link TestStore}) and any number of agents, each a separate {@code java -jar cyphon.jar} process. Leases are
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
    /** Environment every process this pool starts gets too (JAVA_TOOL_OPTIONS for a small heap, say). */
    private Map<String, String> processEnv = Map.of();
    /** The URL agents are given: the coordinator's, or a proxy's in front of it. */
    private String agentUrl;

    private final TestStore.Instance store;

    TestPool(Path base) throws IOException {
        this(base, TestStore.H2);
    }

    TestPool(Path base, TestStore store) throws IOException {
        // Jobs run as slot accounts when tests run as root: every directory above their work dirs must be traversable.
        Files.createDirectories(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        // A base inside a test's own temp dir (JUnit makes it 0700): that one too, or a slot account
        // cannot reach the agent's job-side classes for checkpoints (the agent's STATE_DIR/job-side).
        Path tmpRoot = Path.of(System.getProperty("java.io.tmpdir"));
        for (Path d = base.getParent(); d != null && d.startsWith(tmpRoot) && !d.equals(tmpRoot); d = d.getParent()) {
            var mode = Files.getPosixFilePermissions(d);
            mode.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
            mode.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
            Files.setPosixFilePermissions(d, mode);
        }
        this.base = base;
        this.data = base.resolve("coordinator");
        this.port = freePort();
        this.url = "http://127.0.0.1:" + port;
        this.store = store.create(data);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Every process started from now on also gets {@code env}. */
    TestPool withProcessEnv(Map<String, String> env) {
        this.processEnv = Map.copyOf(env);
        return this;
    }

    /** Agents started from now on reach the coordinator at {@code url} (a proxy in front of it). */
    TestPool withAgentUrl(String url) {
        this.agentUrl = url;
        return this;
    }

    TestPool startCoordinator() throws Exception {
        return startCoordinator("");
    }

    /** A coordinator whose coordinator.toml ends with {@code extraToml} (tables after the ones here). */
    TestPool startCoordinator(String extraToml) throws Exception {
        Files.createDirectories(data);
        Path config = base.resolve("coordinator.toml");
        Files.writeString(config, """
                data_dir = "%s"
                [http]
                port = %d
                [leases]
                heartbeat = "500ms"
                lease = "4s"
                """.formatted(data, port) + storeSection() + extraToml);
        coordinator = CyphonProcess.start(
                base.resolve("coordinator-" + all.size() + ".log"),
                processEnv,
                "coordinator",
                "--config",
                config.toString());
        all.add(coordinator);
        coordinator.awaitLine("coordinator listening on (http://\\S+)", Duration.ofSeconds(60));
        adminToken = Files.readString(data.resolve("admin.token")).trim();
        return this;
    }

    /** {@code [store]} for coordinator.toml: none for H2's default file; PostgreSQL's password from its 0600 file. */
    private String storeSection() {
        if (store.isH2()) return "";
        return """
                [store]
                url = "%s"
                user = "%s"
                password_file = "%s"
                """.formatted(store.jdbcUrl(), store.user(), store.passwordFile());
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
                config,
                """
                name = "%s"
                coordinator = "%s"
                enroll_token_file = "%s"
                state_dir = "%s"
                cpus = %s
                memory = "4G"
                %s
                [output]
                upload_every = "300ms"
                """.formatted(
                                        name,
                                        agentUrl == null ? url : agentUrl,
                                        data.resolve("enroll.token"),
                                        state,
                                        cpus,
                                        topLevel)
                        + ownerSections);
        CyphonProcess p = CyphonProcess.start(
                base.resolve("agent-" + name + "-" + all.size() + ".log"),
                processEnv,
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
        Map<String, String> env = new LinkedHashMap<>(processEnv);
        env.putAll(Map.of(
                "CYPHON_URL",
                url,
                "CYPHON_TOKEN",
                adminToken,
                "XDG_CONFIG_HOME",
                base.resolve("xdg").toString()));
        return env;
    }

    /** A CLI run with these variables laid over the pool's (another URL or token). */
    CyphonProcess.Result cliWith(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(cliEnv());
        all.putAll(env);
        return CyphonProcess.run(all, args);
    }

    String adminToken() {
        return adminToken;
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
        try {
            for (int i = all.size() - 1; i >= 0; i--) all.get(i).close();
        } finally {
            store.close();
        }
    }
}
