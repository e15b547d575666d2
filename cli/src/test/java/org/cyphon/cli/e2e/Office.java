package org.cyphon.cli.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.client.CoordinatorTransport;
import org.cyphon.agent.client.CoordinatorTrust;
import org.cyphon.core.protocol.CaFingerprint;
import org.cyphon.core.protocol.JoinLine;

/**
 * A small office on one machine ({@link OfficeNetwork}): the coordinator on a server of its own
 * ({@value OfficeNetwork#SUBNET}.1), desks that join it over the LAN ({@link Desk}), and an admin's
 * laptop ({@value OfficeNetwork#SUBNET}.2) through which the test itself talks to the API: a
 * relay on this machine's loopback ({@code socat}) hands each connection to the laptop, which opens
 * it to the coordinator, so the admin's requests cross the office switch like a real admin's would.
 * The coordinator listens on its LAN address, so it serves HTTPS with the CA it makes at first
 * start; everything that talks to it pins that CA (the fingerprint it logs): the desks through their
 * join lines, the admin's CLI on the laptop with {@code CYPHON_CA_FINGERPRINT}, and the test's own
 * HTTP client with the agents' own pinning trust manager. The relay passes TLS through untouched;
 * the server certificate names 127.0.0.1 (every self-issued one does), so host-name checks hold for
 * the test's client too. Leases are short (beat 500 ms, lease 4 s) so that link cuts and crashes
 * play out in seconds.
 */
final class Office implements AutoCloseable {
    /**
     * Whether the office's traffic is TLS (the coordinator serves HTTPS and every desk pins its CA
     * from the join line): the capture check then asserts that no token, join secret or job command
     * is anywhere on the wire. (False would be an office of plain HTTP, where the same check asserts
     * that it DOES see them in clear, proving it can see them; main served that before TLS.)
     */
    static final boolean TLS = true;

    static final ObjectMapper JSON = new ObjectMapper();
    static final int API_PORT = 7070;

    final Path base;
    final OfficeNetwork network;
    final OfficeNetwork.Host server;
    final OfficeNetwork.Host laptop;
    final Path data;
    private final Map<String, Desk> desks = new LinkedHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private HttpClient http;
    private CyphonProcess coordinator;
    private int coordinatorStarts;
    private Process gateway;
    private String gatewayUrl;
    private String adminToken;
    private CaFingerprint caFingerprint;

    private Office(Path base, OfficeNetwork network) throws IOException, InterruptedException {
        this.base = base;
        this.network = network;
        this.server = network.plug("server", 1);
        this.laptop = network.plug("laptop", 2);
        this.data = base.resolve("coordinator");
    }

    /** The LAN with the server and the admin's laptop plugged in; no process runs yet. */
    static Office build(Path base) throws IOException, InterruptedException {
        // Jobs run as 'nobody': every directory above their work dirs must be traversable.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        OfficeCgroups.sweepLeftovers();
        OfficeNetwork network = OfficeNetwork.build();
        try {
            return new Office(base, network);
        } catch (IOException | InterruptedException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The coordinator's URL as hosts on the LAN reach it. */
    URI coordinatorUrl() {
        return URI.create((TLS ? "https://" : "http://") + server.address() + ":" + API_PORT);
    }

    /** Starts (or, after a crash, restarts) the coordinator on the server, on the same data dir. */
    Office startCoordinator() throws IOException, InterruptedException {
        return startCoordinator("");
    }

    /** The same, with more tables for its coordinator.toml ({@code [power]} ...). */
    Office startCoordinator(String moreTables) throws IOException, InterruptedException {
        Files.createDirectories(data);
        Path config = base.resolve("coordinator.toml");
        Files.writeString(config, """
                data_dir = "%s"
                [http]
                listen = "%s"
                port = %d
                [leases]
                heartbeat = "500ms"
                lease = "4s"
                %s
                """.formatted(data, server.address(), API_PORT, moreTables));
        coordinator = CyphonProcess.startVia(
                server.enter(),
                base.resolve("coordinator-" + coordinatorStarts++ + ".log"),
                "coordinator",
                "--config",
                config.toString());
        toClose.add(coordinator);
        coordinator.awaitLine("coordinator listening on (\\S+)", Duration.ofSeconds(90));
        adminToken = Files.readString(data.resolve("admin.token")).trim();
        if (TLS) {
            // What the admin reads in the coordinator's log and pins; the same CA after a restart.
            CaFingerprint logged = CaFingerprint.parse(
                    coordinator.awaitLine("CA fingerprint:\\s+(sha256:[0-9a-f]{64})", Duration.ofSeconds(10)));
            if (caFingerprint != null && !caFingerprint.equals(logged))
                throw new IllegalStateException(
                        "the coordinator's CA changed across a restart: " + caFingerprint + " -> " + logged);
            caFingerprint = logged;
        }
        if (gateway == null) startGateway();
        return this;
    }

    /** The CA every client of this office pins (null without TLS). */
    CaFingerprint caFingerprint() {
        return caFingerprint;
    }

    /** kill -9 the coordinator: no shutdown hook, no goodbye. */
    void crashCoordinator() throws InterruptedException {
        coordinator.crash();
    }

    CyphonProcess coordinator() {
        return coordinator;
    }

    /**
     * A join line for one new desk, as the admin makes it on the laptop: {@code cyphon join-token
     * --coordinator URL} run on the laptop's network against the coordinator's LAN address, pinning
     * its CA.
     */
    JoinTicket issueJoinTicket() throws IOException, InterruptedException {
        CyphonProcess.Result r =
                adminCli("join-token", "--coordinator", coordinatorUrl().toString());
        if (r.exitCode() != 0) throw new IllegalStateException("cyphon join-token on the laptop: " + r);
        return new JoinTicket(JoinLine.parse(r.stdout().strip()));
    }

    /** What a desk is given to join: a join line (the coordinator's URL, its CA, a one-time secret). */
    record JoinTicket(JoinLine line) {
        URI coordinator() {
            return line.coordinator();
        }

        String secret() {
            return line.secret();
        }

        /**
         * The same secret, but sent to {@code url} (a man in the middle's rewrite of the line): an
         * https URL keeps the line's CA, a plain-http one can pin none.
         */
        JoinTicket via(URI url) {
            return new JoinTicket(
                    new JoinLine(url, "https".equals(url.getScheme()) ? line.caFingerprint() : null, line.secret()));
        }
    }

    /** Plugs a new desk into the LAN at {@code SUBNET.octet}; it joins with {@link Desk#join}. */
    Desk plugDesk(String name, int octet, double cpus) throws IOException, InterruptedException {
        Desk d = new Desk(this, name, network.plug(name, octet), cpus);
        desks.put(name, d);
        toClose.add(d);
        return d;
    }

    /** Plugs a desk in and joins it with a fresh ticket. */
    Desk joinDesk(String name, int octet, double cpus) throws IOException, InterruptedException {
        Desk d = plugDesk(name, octet, cpus);
        d.join(issueJoinTicket());
        return d;
    }

    Desk desk(String name) {
        return desks.get(name);
    }

    String adminToken() {
        return adminToken;
    }

    /**
     * The admin's way in: {@code socat} on this machine's loopback only; for each connection it
     * starts a second {@code socat} on the laptop that connects to the coordinator.
     */
    private void startGateway() throws IOException, InterruptedException {
        Path relay = base.resolve("laptop-relay.sh");
        Files.writeString(
                relay,
                "#!/bin/sh\nexec " + String.join(" ", laptop.enter()) + " socat STDIO TCP:" + server.address() + ":"
                        + API_PORT + "\n");
        Files.setPosixFilePermissions(relay, PosixFilePermissions.fromString("rwx------"));
        int port = TestPool.freePort();
        gateway = new ProcessBuilder("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork", "EXEC:" + relay)
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("gateway.log").toFile())
                .start();
        Process g = gateway;
        toClose.add(() -> {
            g.destroy();
            if (!g.waitFor(5, TimeUnit.SECONDS)) g.destroyForcibly();
        });
        gatewayUrl = (TLS ? "https://" : "http://") + "127.0.0.1:" + port;
        // The agents' own transport: TLS pinned to the office's CA, host name checked by the JDK.
        CoordinatorTransport transport = CoordinatorTransport.of(
                URI.create(gatewayUrl), new CoordinatorTrust(caFingerprint, false), "(loopback: never needed)");
        HttpClient.Builder b =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (transport.https()) b.sslContext(transport.ssl());
        http = b.build();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                        return true;
                    } catch (IOException e) {
                        if (!g.isAlive()) throw new IllegalStateException("socat gateway exited", e);
                        return false;
                    }
                });
    }

    /** Environment for CLI processes run on this machine: they reach the coordinator through the laptop. */
    Map<String, String> cliEnv() {
        return cliEnv(gatewayUrl);
    }

    private Map<String, String> cliEnv(String url) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CYPHON_URL", url);
        env.put("CYPHON_TOKEN", adminToken);
        env.put("XDG_CONFIG_HOME", base.resolve("xdg").toString());
        if (caFingerprint != null) env.put("CYPHON_CA_FINGERPRINT", caFingerprint.text());
        return env;
    }

    CyphonProcess.Result cli(String... args) throws IOException, InterruptedException {
        return CyphonProcess.run(cliEnv(), args);
    }

    /** The admin's CLI run on the laptop itself, talking to the coordinator's LAN address. */
    CyphonProcess.Result adminCli(String... args) throws IOException, InterruptedException {
        return CyphonProcess.runVia(laptop.enter(), cliEnv(coordinatorUrl().toString()), args);
    }

    HttpResponse<String> send(String method, String path, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (json != null)
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        else b.method(method, HttpRequest.BodyPublishers.noBody());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", path, adminToken, null);
        if (r.statusCode() != 200)
            throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", path, adminToken, null);
        if (r.statusCode() != 200)
            throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        return r.body();
    }

    /** Submits a job (as the admin); returns the ids it was given. */
    List<Long> submit(String json) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/jobs", adminToken, json);
        if (r.statusCode() != 201) throw new IllegalStateException("submit: HTTP " + r.statusCode() + " " + r.body());
        List<Long> ids = new ArrayList<>();
        JSON.readTree(r.body()).path("ids").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    /** Every job in the store, terminal or not. */
    List<JsonNode> jobs() throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        get("/jobs?limit=100000").path("jobs").forEach(out::add);
        return out;
    }

    /** All processes' logs, to attach to a failing assertion. */
    String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(base)) {
            for (Path f :
                    files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                sb.append("===== ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    /** Stops every process (desks first), then takes the LAN and the agents' cgroups down. */
    @Override
    public void close() {
        try {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    System.err.println("office: " + e);
                }
            }
        } finally {
            network.close();
            OfficeCgroups.remove(network.cgroupParent());
        }
    }
}
