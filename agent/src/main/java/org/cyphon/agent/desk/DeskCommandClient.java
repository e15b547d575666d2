package org.cyphon.agent.desk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.core.protocol.DeskCommand;
import org.cyphon.core.protocol.DeskCommandList;
import org.cyphon.core.protocol.DeskCommandResult;
import org.cyphon.core.protocol.DeskEvent;
import org.cyphon.core.protocol.DeskEventList;
import org.cyphon.core.protocol.ErrorBody;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.OwnerAtDesk;

/**
 * The agent's side of the desk-command calls (docs/api.md, "Desk VM"): a long poll for commands and
 * the answer to each. Agent-initiated like every other call, so a desk behind NAT can be reached.
 */
public final class DeskCommandClient {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    /** Who this agent is to the coordinator; it changes when the agent enrolls again. */
    public record Identity(String machine, String token) {}

    private final URI base;
    private final Supplier<Identity> identity;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** @param identity the agent's current credentials, or null before it has any */
    public DeskCommandClient(URI coordinator, Supplier<Identity> identity) {
        this(
                org.cyphon.agent.client.CoordinatorTransport.of(
                        coordinator,
                        org.cyphon.agent.client.CoordinatorTrust.DEFAULT,
                        "insecure_http = true in agent.toml"),
                identity);
    }

    /** @param transport the coordinator, checked as for every other call of the agent (its pin, no plain HTTP off this machine) */
    public DeskCommandClient(org.cyphon.agent.client.CoordinatorTransport transport, Supplier<Identity> identity) {
        this.base = URI.create(transport.url().toString().replaceAll("/+$", "") + "/api/v1/");
        this.identity = identity;
        HttpClient.Builder b =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1);
        if (transport.ssl() != null) b.sslContext(transport.ssl());
        this.http = b.build();
    }

    /** Commands waiting for this desk: at once when there are some, else when one comes, else none after about {@code wait}. */
    List<DeskCommand> poll(Duration wait) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        Identity id = identity();
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path(id, "desk-commands") + "?waitMs=" + wait.toMillis()))
                .timeout(wait.plus(CALL_TIMEOUT))
                .header("Authorization", "Bearer " + id.token())
                .GET()
                .build();
        DeskCommandList list = read(send(req), DeskCommandList.class);
        return list.commands() == null ? List.of() : list.commands();
    }

    /** Answers command {@code result.id()}. */
    void answer(DeskCommandResult result) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        Identity id = identity();
        byte[] body;
        try {
            body = json.writeValueAsBytes(result);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a desk command result", e);
        }
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path(id, "desk-commands/" + result.id() + "/result")))
                .timeout(CALL_TIMEOUT.plusSeconds(body.length >> 20)) // a screenshot may be megabytes
                .header("Authorization", "Bearer " + id.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        send(req);
    }

    /** Puts the desk's events in the coordinator's desk audit log (each once, by its origin id). */
    public void sendEvents(List<DeskEvent> events) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        post("desk-events", new DeskEventList(events));
    }

    /** The desk's owner, at the desk, declares themselves away until {@code until}: the desk's machine view after it. */
    public MachineView ownerAway(String user, String until, String reason)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return read(post("owner/away", new OwnerAtDesk(user, until, reason)), MachineView.class);
    }

    /** The desk's owner, at the desk, is back. */
    public MachineView ownerBack(String user) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return read(post("owner/back", new OwnerAtDesk(user, null, null)), MachineView.class);
    }

    private HttpResponse<byte[]> post(String rest, Object body)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        Identity id = identity();
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName(), e);
        }
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path(id, rest)))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + id.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        return send(req);
    }

    private Identity identity() throws CoordinatorRefusedException {
        Identity id = identity.get();
        if (id == null) throw new CoordinatorRefusedException(401, "the agent has not enrolled yet", null);
        return id;
    }

    private static String path(Identity id, String rest) {
        return "agents/" + URLEncoder.encode(id.machine(), StandardCharsets.UTF_8) + "/" + rest;
    }

    private HttpResponse<byte[]> send(HttpRequest req)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        HttpResponse<byte[]> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CoordinatorUnreachableException("cannot reach the coordinator at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnreachableException("interrupted", e);
        }
        int status = res.statusCode();
        if (status >= 500)
            throw new CoordinatorUnreachableException(
                    "coordinator answered HTTP " + status + " to " + req.uri().getPath(), null);
        if (status >= 400) {
            ErrorBody err = null;
            try {
                err = json.readValue(res.body(), ErrorBody.class);
            } catch (IOException ignored) {
                // not our JSON: the status says enough
            }
            throw new CoordinatorRefusedException(
                    status,
                    err != null && err.error() != null ? err.error() : "refused",
                    err != null ? err.field() : null);
        }
        return res;
    }

    private <T> T read(HttpResponse<byte[]> res, Class<T> type) throws CoordinatorUnreachableException {
        try {
            return json.readValue(res.body(), type);
        } catch (IOException e) {
            throw new CoordinatorUnreachableException(
                    "unreadable reply from " + res.uri().getPath() + ": " + e.getMessage(), e);
        }
    }
}
