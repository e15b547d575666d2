package org.cyphon.agent.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.ErrorBody;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.WorkReply;

/**
 * The agent's side of the agent API (docs/api.md, "Agents"). Every call is agent-initiated, so
 * agents behind office NAT and firewalls need no inbound port.
 *
 * <p>Thread-safe. Errors come in two kinds the caller treats differently:
 * {@link CoordinatorUnreachableException} (retry later, keep jobs running) and
 * {@link CoordinatorRefusedException} (a 4xx: the request or our credentials are wrong).
 */
public final class CoordinatorClient implements CoordinatorLink {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json;
    private volatile String machine;
    private volatile String agentToken;

    public CoordinatorClient(URI coordinator) {
        this.base = URI.create(coordinator.toString().replaceAll("/+$", "") + "/api/v1/");
        this.http = UnusedTls.clientFor(coordinator)
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Replies may grow fields in later versions; an older agent must keep working.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** Uses credentials kept from an earlier enrollment. */
    @Override
    public void useCredentials(String machine, String agentToken) {
        this.machine = machine;
        this.agentToken = agentToken;
    }

    @Override
    public EnrollReply enroll(String enrollToken, EnrollRequest request)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        EnrollReply reply = send(post("agents/enroll", request, enrollToken, CALL_TIMEOUT), EnrollReply.class);
        useCredentials(reply.machine(), reply.agentToken());
        return reply;
    }

    @Override
    public HeartbeatReply heartbeat(Heartbeat beat)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return send(post(agentPath("heartbeat"), beat, agentToken, CALL_TIMEOUT), HeartbeatReply.class);
    }

    /** Long poll: returns as soon as work is assigned, or empty after about {@code wait}. */
    @Override
    public WorkReply pollWork(Duration wait) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(agentPath("work") + "?waitMs=" + wait.toMillis()))
                .timeout(wait.plus(CALL_TIMEOUT))
                .header("Authorization", "Bearer " + agentToken)
                .GET()
                .build();
        return send(req, WorkReply.class);
    }

    /** Stores {@code bytes} at {@code offset} of an attempt's output stream; idempotent. */
    @Override
    public void uploadOutput(long fencingToken, String stream, long offset, byte[] bytes)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        HttpRequest req = HttpRequest.newBuilder(
                        base.resolve(agentPath("attempts/" + fencingToken + "/output/" + stream) + "?offset=" + offset))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + agentToken)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        send(req, null);
    }

    /**
     * Stores the archive file as the attempt's job's checkpoint ({@code PUT .../checkpoint}),
     * streamed from disk. Sent with {@code Expect: 100-continue}, so a refusal (409 stale token,
     * 413 over {@code jobs.max_checkpoint_bytes}) comes back before the body is sent.
     *
     * @return bytes the coordinator stored
     */
    @Override
    public long uploadCheckpoint(long fencingToken, Path archive)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        long size;
        HttpRequest.BodyPublisher body;
        try {
            size = Files.size(archive);
            body = HttpRequest.BodyPublishers.ofFile(archive);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the checkpoint archive " + archive + ": " + e.getMessage(), e);
        }
        HttpRequest req = HttpRequest.newBuilder(base.resolve(agentPath("attempts/" + fencingToken + "/checkpoint")))
                .timeout(transferTimeout(size))
                .expectContinue(true)
                .header("Authorization", "Bearer " + agentToken)
                .header("Content-Type", "application/x-tar")
                .PUT(body)
                .build();
        StoredReply r = send(req, StoredReply.class);
        return r == null ? size : r.stored();
    }

    /**
     * Fetches the attempt's job's latest checkpoint into {@code dest} ({@code GET .../checkpoint}).
     *
     * @return false (and {@code dest} untouched) when the coordinator holds none
     */
    @Override
    public boolean downloadCheckpoint(long fencingToken, Path dest)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(agentPath("attempts/" + fencingToken + "/checkpoint")))
                .timeout(CALL_TIMEOUT) // until the reply starts; the body then streams to disk without a deadline
                .header("Authorization", "Bearer " + agentToken)
                .GET()
                .build();
        // The archive goes straight to the file; anything else (an error body) into memory.
        HttpResponse.BodyHandler<byte[]> handler = info -> info.statusCode() == 200
                ? HttpResponse.BodySubscribers.mapping(
                        HttpResponse.BodySubscribers.ofFile(
                                dest,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING),
                        file -> new byte[0])
                : HttpResponse.BodySubscribers.ofByteArray();
        HttpResponse<byte[]> res = exchange(req, handler);
        if (res.statusCode() == 204) return false;
        check(req, res);
        String declared = res.headers().firstValue("X-Cyphon-Checkpoint-Size").orElse(null);
        try {
            if (declared != null && Long.parseLong(declared) != Files.size(dest)) {
                throw new CoordinatorUnreachableException(
                        "checkpoint download cut short: " + Files.size(dest) + " of " + declared + " bytes", null);
            }
        } catch (IOException | NumberFormatException e) {
            throw new CoordinatorUnreachableException("cannot check the downloaded checkpoint: " + e.getMessage(), e);
        }
        return true;
    }

    /** {@code {"stored": N}}. */
    record StoredReply(long stored) {}

    /** A big archive over a slow office link: a minute, plus a second per MiB. */
    private static Duration transferTimeout(long bytes) {
        return Duration.ofSeconds(60 + (bytes >> 20));
    }

    @Override
    public ReportReply report(ReportBatch batch) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return send(post(agentPath("reports"), batch, agentToken, CALL_TIMEOUT), ReportReply.class);
    }

    @Override
    public String machine() {
        return machine;
    }

    private String agentPath(String rest) {
        if (machine == null) throw new IllegalStateException("not enrolled");
        return "agents/" + java.net.URLEncoder.encode(machine, java.nio.charset.StandardCharsets.UTF_8) + "/" + rest;
    }

    private HttpRequest post(String path, Object body, String token, Duration timeout) {
        try {
            return HttpRequest.newBuilder(base.resolve(path))
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
        }
    }

    private <T> T send(HttpRequest req, Class<T> type)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        HttpResponse<byte[]> res = exchange(req, HttpResponse.BodyHandlers.ofByteArray());
        check(req, res);
        if (type == null) return null;
        try {
            return json.readValue(res.body(), type);
        } catch (IOException e) {
            throw new CoordinatorUnreachableException(
                    "unreadable reply from " + req.uri().getPath() + ": " + e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> exchange(HttpRequest req, HttpResponse.BodyHandler<byte[]> handler)
            throws CoordinatorUnreachableException {
        try {
            return http.send(req, handler);
        } catch (IOException e) {
            throw new CoordinatorUnreachableException("cannot reach the coordinator at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnreachableException("interrupted", e);
        }
    }

    /** 5xx: unreachable (retry); 4xx: refused, with the coordinator's {@code ErrorBody}. */
    private void check(HttpRequest req, HttpResponse<byte[]> res)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        int status = res.statusCode();
        if (status >= 500) {
            throw new CoordinatorUnreachableException(
                    "coordinator answered HTTP " + status + " to " + req.uri().getPath(), null);
        }
        if (status >= 400) {
            ErrorBody err = null;
            try {
                err = json.readValue(res.body(), ErrorBody.class);
            } catch (IOException ignored) {
                // Not our JSON (a proxy's page): report the status alone.
            }
            throw new CoordinatorRefusedException(
                    status,
                    err != null && err.error() != null ? err.error() : "refused",
                    err != null ? err.field() : null);
        }
    }
}
