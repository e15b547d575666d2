package org.cyphon.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.cyphon.cli.client.ApiRefusal;
import org.cyphon.cli.client.CoordinatorUnreachable;
import org.cyphon.cli.client.Endpoint;
import org.cyphon.cli.client.WireJson;
import org.cyphon.core.protocol.DeskActionReply;
import org.cyphon.core.protocol.DeskAuditList;
import org.cyphon.core.protocol.ErrorBody;

/**
 * The desk VM calls of the API (docs/api.md, "Desk VM") for {@code cyphon desk}. Each call waits
 * while the machine's agent carries the action out, so its timeout is longer than any the
 * coordinator itself waits (90 s for a save): the coordinator, not the client, says when the agent
 * took too long, and says so in words.
 */
final class DeskClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    private final Endpoint endpoint;
    private final HttpClient http;

    DeskClient(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.http = endpoint.httpClient(Duration.ofSeconds(10));
    }

    /** {@code GET /machines/{m}/desk}: the desk as its agent reads it now. */
    DeskActionReply status(String machine) {
        return json(send(request(desk(machine)).GET().build()), DeskActionReply.class);
    }

    /** {@code POST /machines/{m}/desk/{action}}: once the agent has carried it out. */
    DeskActionReply act(String machine, String action, boolean force, boolean undo) {
        java.util.Map<String, String> query = new java.util.LinkedHashMap<>();
        if (force) query.put("force", "true");
        if (undo) query.put("undo", "true");
        return act(machine, action, query);
    }

    /** {@code POST /machines/{m}/desk/{action}?QUERY}: once the agent has carried it out. */
    DeskActionReply act(String machine, String action, java.util.Map<String, String> query) {
        StringBuilder q = new StringBuilder();
        for (var e : query.entrySet()) {
            q.append(q.isEmpty() ? "?" : "&")
                    .append(e.getKey())
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        String path = desk(machine) + "/" + action + q;
        return json(send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build()), DeskActionReply.class);
    }

    /** {@code GET /machines/{m}/desk/screenshot}: the guest's screen as PNG bytes. */
    byte[] screenshot(String machine) {
        return send(request(desk(machine) + "/screenshot").GET().build()).body();
    }

    /** {@code GET /machines/{m}/desk/audit?limit=N}: the newest entries, oldest first. */
    DeskAuditList audit(String machine, int limit) {
        return json(send(request(desk(machine) + "/audit?limit=" + limit).GET().build()), DeskAuditList.class);
    }

    private static String desk(String machine) {
        return "/machines/" + URLEncoder.encode(machine, StandardCharsets.UTF_8).replace("+", "%20") + "/desk";
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(endpoint.url() + "/api/v1" + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + endpoint.token())
                .header("User-Agent", "cyphon-cli");
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        HttpResponse<byte[]> reply;
        try {
            reply = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new CoordinatorUnreachable(
                    "no reply from the coordinator at " + endpoint.url() + " within " + TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new CoordinatorUnreachable("cannot reach the coordinator at " + endpoint.url() + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnreachable("interrupted while waiting for the coordinator", e);
        }
        int status = reply.statusCode();
        if (status >= 200 && status < 300) return reply;
        ErrorBody body = null;
        try {
            body = WireJson.MAPPER.readValue(reply.body(), ErrorBody.class);
        } catch (IOException ignored) {
            // not our error shape: the status below says what came back
        }
        if (body == null || body.error() == null)
            body = new ErrorBody("HTTP " + status + " from " + request.uri().getPath(), null);
        throw new ApiRefusal(status, body);
    }

    /** The first message in the chain: the JDK leaves a refused connection's own message empty. */
    private static String reason(IOException e) {
        String tls = org.cyphon.cli.client.TlsFailure.explain(e);
        if (tls != null) return tls;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        return e instanceof java.net.ConnectException
                ? "connection refused"
                : e.getClass().getSimpleName();
    }

    private <T> T json(HttpResponse<byte[]> reply, Class<T> type) {
        try {
            return WireJson.MAPPER.readValue(reply.body(), type);
        } catch (IOException e) {
            throw new CoordinatorUnreachable(
                    "unexpected reply from " + endpoint.url() + " to "
                            + reply.request().uri().getPath() + " (is it a Cyphon coordinator with desk VMs?)",
                    e);
        }
    }
}
