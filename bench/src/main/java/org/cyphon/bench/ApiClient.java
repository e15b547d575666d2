package org.cyphon.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls to {@code /api/v1} as one principal (admin, enrollment or an agent), over the JDK's
 * HTTP/1.1 client: what the real agent and CLI use, so the coordinator sees real traffic.
 * Thread-safe; meant to be called from many virtual threads at once.
 */
final class ApiClient {
    /** A non-2xx reply: the status and the coordinator's {@code ErrorBody}, verbatim. */
    static final class ApiCallFailed extends IOException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        final int status;

        ApiCallFailed(String call, int status, String body) {
            super(call + ": HTTP " + status + " " + body);
            this.status = status;
        }
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final String base;
    private final String token;

    ApiClient(HttpClient http, String coordinatorUrl, String token) {
        this.http = http;
        this.base = coordinatorUrl.replaceAll("/+$", "") + "/api/v1";
        this.token = token;
    }

    /** A plain HTTP/1.1 client, like the agent's (no HTTP/2 upgrade dance on loopback). */
    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    ApiClient as(String otherToken) {
        return new ApiClient(http, base.substring(0, base.length() - "/api/v1".length()), otherToken);
    }

    <T> T get(String path, Class<T> type) throws IOException, InterruptedException {
        return send(request(path).timeout(CALL_TIMEOUT).GET().build(), type);
    }

    /** A long poll: the request timeout must outlast the wait the server is asked for. */
    <T> T getLongPoll(String path, Duration wait, Class<T> type) throws IOException, InterruptedException {
        return send(request(path).timeout(CALL_TIMEOUT.plus(wait)).GET().build(), type);
    }

    <T> T post(String path, Object body, Class<T> type) throws IOException, InterruptedException {
        byte[] json = WireJson.MAPPER.writeValueAsBytes(body);
        return send(
                request(path)
                        .timeout(CALL_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                        .build(),
                type);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
    }

    private <T> T send(HttpRequest req, Class<T> type) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (res.statusCode() / 100 != 2) {
            throw new ApiCallFailed(
                    req.method() + " " + req.uri().getPath(),
                    res.statusCode(),
                    new String(res.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return WireJson.MAPPER.readValue(res.body(), type);
    }
}
