package org.cyphon.cli.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
 * One pool served by several coordinator processes on one PostgreSQL schema, sharing one data dir
 * (tokens, output, checkpoints), with agents that each list every coordinator (in a different
 * order, so their traffic spreads). Coordinators can be killed (SIGKILL) and started again at the
 * same address. Used by the HA end-to-end test and the failover benchmark's shape.
 */
final class SeveralCoordinators implements AutoCloseable {
    final Path base;
    final Path data;
    final Duration lease;
    private final int[] ports;
    private final CyphonProcess[] coordinators;
    private final List<CyphonProcess> all = new ArrayList<>();
    private final Map<String, CyphonProcess> agents = new LinkedHashMap<>();
    private final TestStore.Instance store;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String adminToken;
    private int starts;

    SeveralCoordinators(Path base, int n, Duration lease) throws IOException {
        Files.createDirectories(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.base = base;
        this.data = base.resolve("coordinator");
        this.lease = lease;
        this.ports = new int[n];
        for (int i = 0; i < n; i++) ports[i] = TestPool.freePort();
        this.coordinators = new CyphonProcess[n];
        this.store = TestStore.POSTGRESQL.create(data);
    }

    String url(int i) {
        return "http://127.0.0.1:" + ports[i];
    }

    /** The id coordinator {@code i} names itself by ({@code host:port}). */
    String id(int i) {
        return "127.0.0.1:" + ports[i];
    }

    int size() {
        return ports.length;
    }

    /** Starts coordinator {@code i} (again, after a kill) and waits until it serves. */
    void start(int i) throws Exception {
        Files.createDirectories(data);
        Path config = base.resolve("coordinator-" + i + ".toml");
        Files.writeString(config, """
                data_dir = "%s"
                [http]
                port = %d
                [leases]
                heartbeat = "500ms"
                lease = "%dms"
                [store]
                url = "%s"
                user = "%s"
                password_file = "%s"
                """.formatted(
                        data, ports[i], lease.toMillis(), store.jdbcUrl(), store.user(), store.passwordFile()));
        int start = starts++;
        CyphonProcess p = CyphonProcess.start(
                base.resolve("coordinator-" + i + "-" + start + ".log"),
                Map.of(),
                "coordinator",
                "--config",
                config.toString());
        all.add(p);
        coordinators[i] = p;
        p.awaitLine("coordinator listening on (http://\\S+)", Duration.ofSeconds(90));
        if (adminToken == null)
            adminToken = Files.readString(data.resolve("admin.token")).trim();
    }

    /** SIGKILL coordinator {@code i}. */
    void kill(int i) throws InterruptedException {
        coordinators[i].crash();
    }

    boolean alive(int i) {
        return coordinators[i] != null && coordinators[i].alive();
    }

    /** An agent that knows every coordinator, starting with {@code first}. */
    void startAgent(String name, double cpus, int first) throws Exception {
        Path state = base.resolve("agent-" + name);
        Path config = base.resolve("agent-" + name + ".toml");
        List<String> urls = new ArrayList<>();
        for (int k = 0; k < size(); k++) urls.add("\"" + url((first + k) % size()) + "\"");
        Files.writeString(
                config, """
                name = "%s"
                coordinator = [%s]
                enroll_token_file = "%s"
                state_dir = "%s"
                cpus = %s
                memory = "4G"
                [output]
                upload_every = "300ms"
                [policy]
                preset = "dedicated"
                """.formatted(name, String.join(", ", urls), data.resolve("enroll.token"), state, cpus));
        CyphonProcess p = CyphonProcess.start(
                base.resolve("agent-" + name + ".log"), Map.of(), "agent", "--config", config.toString());
        all.add(p);
        agents.put(name, p);
        p.awaitLine("agent \\S+ joined", Duration.ofSeconds(90));
    }

    /** GET from the first live coordinator that answers. */
    JsonNode get(String path) throws IOException, InterruptedException {
        IOException last = null;
        for (int i = 0; i < size(); i++) {
            if (!alive(i)) continue;
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(url(i) + "/api/v1" + path))
                                .header("Authorization", "Bearer " + adminToken)
                                .timeout(Duration.ofSeconds(30))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200)
                    throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
                return TestPool.JSON.readTree(r.body());
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("no coordinator answered GET " + path, last);
    }

    String getText(int i, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url(i) + "/api/v1" + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200)
            throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        return r.body();
    }

    /** {@code GET /metrics} of coordinator {@code i}. */
    String metrics(int i) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url(i) + "/metrics"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** POST to coordinator {@code i}. */
    HttpResponse<String> post(int i, String path, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url(i) + "/api/v1" + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The index of the coordinator that leads now, waiting up to {@code atMost} for one to. */
    int awaitLeader(Duration atMost) {
        return await().atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(
                        () -> {
                            String leader = get("/coordinators").path("leader").asText(null);
                            for (int i = 0; i < size(); i++) if (id(i).equals(leader) && alive(i)) return i;
                            return -1;
                        },
                        i -> i >= 0);
    }

    /** The store, to read what the coordinators wrote. */
    TestStore.Instance store() {
        return store;
    }

    String adminToken() {
        return adminToken;
    }

    String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(base)) {
            for (Path f :
                    files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(f);
                // The tail is what a failure needs; whole logs of a thousand jobs drown it.
                if (text.length() > 20_000) text = "...\n" + text.substring(text.length() - 20_000);
                sb.append("===== ").append(f.getFileName()).append('\n').append(text);
            }
        }
        return sb.toString();
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
