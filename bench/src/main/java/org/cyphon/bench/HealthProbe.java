package org.cyphon.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The control beside the heartbeats: {@code GET /api/v1/health} (no token, no store, a fixed
 * reply) every 100 ms from the load generator, over a connection of its own, timed the same way
 * and split into the same phases. What it takes is what any request takes on this machine at that
 * moment (both processes' wait for a core, their garbage collection, the loopback), so the
 * heartbeat's own cost is what the beats take beyond it.
 */
final class HealthProbe implements AutoCloseable {
    private static final Duration EVERY = Duration.ofMillis(100);

    private final AtomicReference<LatencySamples> phase = new AtomicReference<>(new LatencySamples());
    private final Thread loop;
    private volatile boolean stopped;

    HealthProbe(String coordinatorUrl) {
        HttpClient http = ApiClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create(coordinatorUrl.replaceAll("/+$", "") + "/api/v1/health"))
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
        loop = Thread.ofVirtual().name("health-probe").start(() -> {
            long next = System.nanoTime();
            while (!stopped) {
                long t0 = System.nanoTime();
                try {
                    HttpResponse<Void> r = http.send(health, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) phase.get().add(System.nanoTime() - t0);
                } catch (java.io.IOException e) {
                    // counted as missing: the heartbeats' own errors say what went wrong
                } catch (InterruptedException e) {
                    return;
                }
                next += EVERY.toNanos();
                long wait = next - System.nanoTime();
                if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                else next = System.nanoTime();
            }
        });
    }

    /** The samples since the last call; a new phase starts. */
    LatencySamples newPhase() {
        return phase.getAndSet(new LatencySamples());
    }

    @Override
    public void close() {
        stopped = true;
        loop.interrupt();
    }
}
