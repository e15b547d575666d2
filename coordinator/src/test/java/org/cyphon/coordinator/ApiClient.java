package org.cyphon.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.cyphon.coordinator.http.WireJson;

/** A small real HTTP client for the API, as a user, admin or agent would call it. */
final class ApiClient {
    static final ObjectMapper JSON = WireJson.mapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String token;
    private final String[] extraHeader;

    ApiClient(String base, String token) {
        this(base, token, null);
    }

    private ApiClient(String base, String token, String[] extraHeader) {
        this.base = base;
        this.token = token;
        this.extraHeader = extraHeader;
    }

    /** The bearer token this client sends (null: none). */
    String token() {
        return token;
    }

    ApiClient as(String otherToken) {
        return new ApiClient(base, otherToken);
    }

    ApiClient withHeader(String name, String value) {
        return new ApiClient(base, token, new String[] {name, value});
    }

    /** A reply: status, body, headers. */
    record Reply(int status, byte[] bytes, java.net.http.HttpHeaders headers) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body(), e);
            }
        }

        <T> T as(Class<T> type) {
            if (status / 100 != 2) throw new AssertionError("expected 2xx, got " + status + ": " + body());
            try {
                return JSON.readValue(bytes, type);
            } catch (IOException e) {
                throw new AssertionError("cannot read " + type.getSimpleName() + " from: " + body(), e);
            }
        }

        String error() {
            return json().path("error").asText(null);
        }

        String field() {
            return json().path("field").asText(null);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    Reply post(String path, Object body) {
        try {
            byte[] b = body == null
                    ? new byte[0]
                    : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
            return postBytes(path, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply postBytes(String path, byte[] body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    /** A body sent chunked, with no Content-Length, as a streaming client would. */
    Reply postChunked(String path, byte[] body) {
        return send(request(path)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build());
    }

    /** A raw body (a checkpoint archive) with its Content-Length. */
    Reply putBytes(String path, byte[] body) {
        return send(request(path)
                .header("Content-Type", "application/x-tar")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    /** A raw body sent chunked, with no Content-Length. */
    Reply putChunked(String path, byte[] body) {
        return send(request(path)
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build());
    }

    <T> T get(String path, Class<T> type) {
        return get(path).as(type);
    }

    <T> T post(String path, Object body, Class<T> type) {
        return post(path, body).as(type);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (extraHeader != null) b.header(extraHeader[0], extraHeader[1]);
        return b;
    }

    private static Reply send(HttpRequest r) {
        try {
            HttpResponse<byte[]> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(resp.statusCode(), resp.body(), resp.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
