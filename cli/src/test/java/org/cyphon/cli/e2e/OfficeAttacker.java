package org.cyphon.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A machine on the office LAN that does not belong there: it speaks the agents' protocol by hand
 * ({@code curl}, so it is bound by nothing our client does) and can sit between a desk and the
 * coordinator as a relay that records every byte it passes ({@code socat -v}): a plain-HTTP one, or
 * one that ends TLS with a certificate of its own (as a man in the middle with any CA would) and
 * records the requests in clear.
 */
final class OfficeAttacker implements AutoCloseable {
    final OfficeNetwork.Host host;
    private final Path dir;
    private final List<Process> relays = new ArrayList<>();
    private int requests;

    OfficeAttacker(Office office, String name, int octet) throws IOException, InterruptedException {
        this.host = office.network.plug(name, octet);
        this.dir = Files.createDirectories(office.base.resolve(name));
    }

    /** An HTTP status and body as the attacker received them (status 0: no answer at all). */
    record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return Office.JSON.readTree(body);
        }
    }

    /**
     * One request from the attacker's machine. {@code -k}: an attacker holding a stolen join line
     * has the CA's fingerprint too, so certificate checks are no obstacle to it.
     */
    Reply send(String method, URI url, String token, String json) throws IOException, InterruptedException {
        int n = requests++;
        Path body = dir.resolve("reply-" + n);
        List<String> cmd = new ArrayList<>(host.enter());
        cmd.addAll(List.of(
                "curl", "-s", "-k", "--max-time", "15", "-o", body.toString(), "-w", "%{http_code}", "-X", method));
        if (token != null) cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
        if (json != null) {
            Path in = dir.resolve("request-" + n);
            Files.writeString(in, json);
            cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@" + in));
        }
        cmd.add(url.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String status = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("curl did not finish: " + cmd);
        }
        return new Reply(
                status.isBlank() ? 0 : Integer.parseInt(status.trim()),
                Files.exists(body) ? Files.readString(body) : "");
    }

    /** Enrolls as a machine {@code name} advertising {@code cpus} CPUs and 256 GiB. */
    Reply enroll(URI coordinator, String secret, String name, int cpus) throws IOException, InterruptedException {
        return send("POST", coordinator.resolve("/api/v1/agents/enroll"), secret, """
                {"name": "%s", "cpus": %d, "memoryBytes": 274877906944, "sandbox": "cgroup-v2", "version": "0.1.0"}
                """.formatted(name, cpus));
    }

    /**
     * Relays {@code SUBNET.octet:port} to {@code upstream} in plain HTTP and records both
     * directions in {@code log}: a man in the middle for a desk that was given the attacker's
     * address.
     */
    URI relay(int port, URI upstream, Path log) throws IOException, InterruptedException {
        return listen(
                port,
                "TCP-LISTEN:" + port + ",bind=" + host.address() + ",reuseaddr,fork",
                "TCP:" + upstream.getHost() + ":" + upstream.getPort(),
                log,
                "http");
    }

    /**
     * Like {@link #relay}, but the desk's side is TLS with the attacker's own self-signed
     * certificate (for the attacker's address), and the coordinator's side is TLS too: what the
     * relay records is the requests and replies in clear, had a desk sent any.
     */
    URI tlsRelay(int port, URI upstream, Path log) throws IOException, InterruptedException {
        Path key = dir.resolve("mitm.key");
        Path cert = dir.resolve("mitm.crt");
        OfficeNetwork.run(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=" + host.address(),
                "-addext",
                "subjectAltName=IP:" + host.address(),
                "-keyout",
                key.toString(),
                "-out",
                cert.toString());
        return listen(
                port,
                "OPENSSL-LISTEN:" + port + ",bind=" + host.address() + ",reuseaddr,fork,cert=" + cert + ",key=" + key
                        + ",verify=0",
                "OPENSSL:" + upstream.getHost() + ":" + upstream.getPort() + ",verify=0",
                log,
                "https");
    }

    private URI listen(int port, String from, String to, Path log, String scheme)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(concat(host.enter(), List.of("socat", "-v", from, to)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        relays.add(p);
        // socat says nothing when it listens: its listening socket is the sign (ss in its namespace).
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!OfficeNetwork.run(concat(host.enter(), List.of("ss", "-Htln")).toArray(String[]::new))
                .contains(host.address() + ":" + port)) {
            if (!p.isAlive() || System.nanoTime() > until)
                throw new IllegalStateException("the relay did not start:\n" + Files.readString(log));
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        return URI.create(scheme + "://" + host.address() + ":" + port);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : relays) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }
}
