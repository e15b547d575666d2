package org.cyphon.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The coordinator's {@code /metrics} page (Prometheus text), as the benchmarks read it. */
final class MetricsText {
    private MetricsText() {}

    static String fetch(String coordinatorUrl) throws IOException, InterruptedException {
        HttpClient http = ApiClient.newHttpClient();
        HttpResponse<String> res = http.send(
                HttpRequest.newBuilder(URI.create(coordinatorUrl.replaceAll("/+$", "") + "/metrics"))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) throw new IOException("GET /metrics: HTTP " + res.statusCode());
        return res.body();
    }
}
