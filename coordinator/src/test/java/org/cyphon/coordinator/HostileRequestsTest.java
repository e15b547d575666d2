package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks every route of a real coordinator with a few thousand hostile requests from a seeded
 * generator ({@link HostileRequests}): over-long and control-character path segments, huge and
 * negative numbers, wrong JSON types, truncated JSON, bodies that declare more than they send and
 * then stall, wrong methods, missing and forged tokens. Every reply must be a 4xx (or a 2xx), none
 * a 5xx or a stack trace, each within the configured timeouts; the coordinator must still serve
 * afterwards.
 *
 * <p>The seed is printed with every failure: {@code -Dcyphon.fuzz.seed=N} replays that run
 * ({@code -Dcyphon.fuzz.seed=random} for a new one; {@code -Dcyphon.fuzz.requests=N} for more).
 */
@OnEveryStore
class HostileRequestsTest {
    private final TestStore store;

    HostileRequestsTest(TestStore store) {
        this.store = store;
    }

    private static final Duration BODY_TIMEOUT = Duration.ofMillis(700);
    private static final Duration LONG_POLL_MAX = Duration.ofSeconds(1);
    /** On top of the configured timeouts: a loaded 2-core CI machine, a GC pause. */
    private static final Duration SLACK = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    @Test
    void noHostileRequestGetsA5xxOrHangs() throws Exception {
        String seedProperty = System.getProperty("cyphon.fuzz.seed", "20261207");
        long seed = seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
        int requests = Integer.getInteger("cyphon.fuzz.requests", 3000);
        long started = System.nanoTime();
        try (TestCoordinator c = TestCoordinator.start(
                store, dir, cfg -> cfg.withBodyTimeout(BODY_TIMEOUT).withLongPollMax(LONG_POLL_MAX))) {
            HostileRequests.Targets targets = targets(c);
            List<String> routes = c.coordinator().routes();
            assertThat(routes)
                    .as("the routes this test knows at least")
                    .contains(
                            "POST /api/v1/jobs",
                            "GET /api/v1/jobs/{id}/logs",
                            "PUT /api/v1/agents/{machine}/attempts/{fencingToken}/checkpoint",
                            "PUT /api/v1/files/{sha256}",
                            "GET /api/v1/jobs/{id}/outputs/{sha256}",
                            "PUT /api/v1/agents/{machine}/attempts/{fencingToken}/blobs/{sha256}",
                            "POST /api/v1/agents/{machine}/attempts/{fencingToken}/outputs",
                            "POST /api/v1/machines/{name}/desk/{action}",
                            "POST /api/v1/agents/{machine}/desk-commands/{id}/result");
            HostileRequests gen = new HostileRequests(seed, routes, targets);
            Duration limit = BODY_TIMEOUT.plus(LONG_POLL_MAX).plus(SLACK);

            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    int index = i;
                    done.add(pool.submit(() -> {
                        HostileRequests.Request r = gen.request(index);
                        hits.computeIfAbsent(r.route(), k -> new AtomicInteger())
                                .incrementAndGet();
                        RawHttp.Reply reply =
                                RawHttp.send("127.0.0.1", c.coordinator().port(), r.bytes(), r.stall(), limit);
                        statuses.computeIfAbsent(reply.status(), k -> new AtomicInteger())
                                .incrementAndGet();
                        String problem = problem(r, reply, limit);
                        if (problem != null)
                            failures.add("request " + index + " (seed " + seed + "): " + problem + "\n  " + r.describe()
                                    + "\n  -> " + reply.describe());
                    }));
                }
                for (Future<?> f : done) f.get(5, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }

            assertThat(failures)
                    .as(
                            "seed %d: hostile requests that got a 5xx, a stack trace or no timely answer "
                                    + "(replay with -Dcyphon.fuzz.seed=%d)",
                            seed, seed)
                    .isEmpty();
            for (String route : routes)
                assertThat(hits.getOrDefault(route, new AtomicInteger()).get())
                        .as("seed %d: requests at %s", seed, route)
                        .isGreaterThanOrEqualTo(requests / routes.size() / 4);

            // Still serving, and still doing real work.
            assertThat(c.anonymous().get("/api/v1/health").status()).isEqualTo(200);
            long id = TestCoordinator.submit(c.user("after"), "/bin/echo", "still here");
            assertThat(TestCoordinator.show(c.admin(), id).state()).isIn("queued", "running");
            System.out.printf(
                    "HostileRequestsTest: seed %d, %d requests over %d routes in %.1f s; statuses %s%n",
                    seed, requests, routes.size(), (System.nanoTime() - started) / 1e9, new TreeMap<>(statuses));
        }
    }

    /** Null when the reply is acceptable for the request. */
    private static String problem(HostileRequests.Request r, RawHttp.Reply reply, Duration limit) {
        if (reply.hung()) return "no answer within " + limit.toMillis() + " ms";
        if (reply.status() >= 500) return "HTTP " + reply.status();
        if (reply.status() < 0 && !r.mayGoUnanswered()) return "connection closed without a reply";
        String body = reply.body();
        if (body.contains("Exception") || body.contains("\tat ") || body.contains("at org.") || body.contains("at io."))
            return "a stack trace or exception name in the reply";
        return null;
    }

    /** Real things to aim at: tokens of each kind, a job, a live attempt, a machine. */
    private static HostileRequests.Targets targets(TestCoordinator c) {
        ApiClient alice = c.user("alice");
        ApiClient bob = c.user("bob");
        TestAgent agent = c.agent("desk-1", 4);
        long job = TestCoordinator.submit(alice, "/bin/sleep", "600");
        TestCoordinator.submit(alice, "/bin/sleep", "600");
        c.periodicWork().runAll();
        List<WorkAssignment> work = agent.work(5000);
        assertThat(work).isNotEmpty();
        agent.beat();
        return new HostileRequests.Targets(
                Map.of(
                        "admin", c.coordinator().adminToken(),
                        "alice", token(alice),
                        "bob", token(bob),
                        "agent", token(agent.api),
                        "enroll", c.coordinator().enrollToken()),
                job,
                work.get(0).fencingToken(),
                "desk-1");
    }

    private static String token(ApiClient client) {
        return client.token();
    }
}
