package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's sign-in and the session cookie on the API, over real HTTP: the cookie stands in
 * for the bearer header with the API's own authorization, and a change made with it needs this
 * server's Origin and the session's CSRF token. Also the keyset paging the jobs page uses.
 * (The same in a real browser: the cli module's DashboardIT.)
 */
@OnEveryStore
class DashboardSessionTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient(); // follows no redirect

    private final TestStore store;

    @TempDir
    Path dir;

    private TestCoordinator c;

    DashboardSessionTest(TestStore store) {
        this.store = store;
    }

    @BeforeEach
    void start() throws Exception {
        c = TestCoordinator.start(store, dir);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void signingInSetsAStrictHttpOnlyCookieOnlyForAGoodTokenFromOurOwnPage() throws Exception {
        String alice = c.user("alice").token();
        HttpResponse<String> ok = signIn(alice, c.url());
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue("/dashboard/pool");
        assertThat(ok.headers().firstValue("Set-Cookie"))
                .hasValue("cyphon_session=" + alice + "; Path=/; HttpOnly; Secure; SameSite=Strict");

        HttpResponse<String> wrong = signIn("no-such-token", c.url());
        assertThat(wrong.statusCode()).isEqualTo(303);
        assertThat(wrong.headers().firstValue("Location")).hasValue("/dashboard/signin?failed=1");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> foreign = signIn(alice, "http://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Set-Cookie")).isEmpty();

        // An agent's credential is no user's: no session.
        assertThat(signIn(c.coordinator().enrollToken(), c.url()).headers().firstValue("Location"))
                .hasValue("/dashboard/signin?failed=1");
    }

    @Test
    void theCookieIsTheBearerAndAChangeNeedsOurOriginAndTheCsrfToken() throws Exception {
        String alice = c.user("alice").token();
        Map<String, String> cookie = Map.of("Cookie", "cyphon_session=" + alice);
        assertThat(send("GET", "/api/v1/jobs", cookie).statusCode()).isEqualTo(200);
        JsonNode session = json(send("GET", "/dashboard/session", cookie));
        assertThat(session.path("name").asText()).isEqualTo("alice");
        assertThat(session.path("admin").asBoolean()).isFalse();
        String csrf = session.path("csrf").asText();
        assertThat(csrf).isNotEmpty().doesNotContain(alice);

        String job = "{\"command\": [\"/bin/true\"]}";
        assertThat(send("POST", "/api/v1/jobs", with(cookie, "Origin", c.url(), "X-Cyphon-CSRF", csrf), job)
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> noToken = send("POST", "/api/v1/jobs", with(cookie, "Origin", c.url()), job);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("X-Cyphon-CSRF");
        HttpResponse<String> wrongToken =
                send("POST", "/api/v1/jobs", with(cookie, "Origin", c.url(), "X-Cyphon-CSRF", csrf + "x"), job);
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        HttpResponse<String> foreign =
                send("POST", "/api/v1/jobs", with(cookie, "Origin", "http://evil.example", "X-Cyphon-CSRF", csrf), job);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("cross-origin request refused");
        assertThat(send("POST", "/api/v1/jobs", with(cookie, "X-Cyphon-CSRF", csrf), job)
                        .statusCode())
                .as("no Origin at all")
                .isEqualTo(403);
        assertThat(c.admin().get("/api/v1/jobs").json().path("jobs")).hasSize(1);

        // Another session's CSRF token is no good for this one.
        String bob = c.user("bob").token();
        String bobs = json(send("GET", "/dashboard/session", Map.of("Cookie", "cyphon_session=" + bob)))
                .path("csrf")
                .asText();
        assertThat(send("POST", "/api/v1/jobs", with(cookie, "Origin", c.url(), "X-Cyphon-CSRF", bobs), job)
                        .statusCode())
                .isEqualTo(403);

        // The API's own authorization: a user's session may not drain a machine.
        c.agent("desk-1", 2);
        HttpResponse<String> drain =
                send("POST", "/api/v1/machines/desk-1/drain", with(cookie, "Origin", c.url(), "X-Cyphon-CSRF", csrf));
        assertThat(drain.statusCode()).isEqualTo(403);
        assertThat(drain.body()).contains("needs an admin token");

        // A bearer header wins over any cookie: the CLI is never asked for a CSRF token.
        assertThat(send(
                                "POST",
                                "/api/v1/machines/desk-1/drain",
                                with(
                                        cookie,
                                        "Authorization",
                                        "Bearer " + c.coordinator().adminToken()))
                        .statusCode())
                .isEqualTo(200);
        // An unknown token in the cookie is the API's 401, and no session.
        Map<String, String> unknown = Map.of("Cookie", "cyphon_session=forged");
        assertThat(send("GET", "/api/v1/jobs", unknown).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/dashboard/session", unknown).statusCode()).isEqualTo(401);
    }

    @Test
    void pagesNeedASessionAndEveryResponseForbidsInlineScript() throws Exception {
        for (String page : List.of("/dashboard/pool", "/dashboard/jobs", "/dashboard/machine", "/dashboard/harvest")) {
            HttpResponse<String> r = send("GET", page, Map.of());
            assertThat(r.statusCode()).as(page).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(page).hasValue("/dashboard/signin");
        }
        String alice = c.user("alice").token();
        HttpResponse<String> pool = send("GET", "/dashboard/pool", Map.of("Cookie", "cyphon_session=" + alice));
        assertThat(pool.statusCode()).isEqualTo(200);
        assertThat(pool.body()).contains("<script type=\"module\" src=\"/dashboard/assets/pool.js\">");
        for (HttpResponse<String> r : List.of(
                pool, send("GET", "/dashboard/signin", Map.of()), send("GET", "/dashboard/assets/api.js", Map.of()))) {
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'");
            assertThat(csp).doesNotContain("unsafe");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
        assertThat(send("GET", "/dashboard/assets/nothing.js", Map.of()).statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/dashboard/nothing", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void jobsArePagedByIdNewestFirstWithoutAnOffset() {
        ApiClient alice = c.user("alice");
        for (int i = 0; i < 25; i++) TestCoordinator.submit(alice, "/bin/true");
        JsonNode first = alice.get("/api/v1/jobs?limit=10").json();
        assertThat(ids(first)).containsExactly(16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L);
        assertThat(first.path("matching").path("queued").asLong()).isEqualTo(25);
        JsonNode second = alice.get("/api/v1/jobs?limit=10&before=16").json();
        assertThat(ids(second)).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
        assertThat(ids(alice.get("/api/v1/jobs?limit=10&before=6").json())).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(ids(alice.get("/api/v1/jobs?limit=10&before=1").json())).isEmpty();
        assertThat(alice.get("/api/v1/jobs?before=0").status()).isEqualTo(400);
    }

    @Test
    void anAdminSimulatesPresetsOverTheBundledFitsAndAUserMayNot() {
        ApiClient admin = c.admin();
        JsonNode choices = admin.get("/api/v1/simulate").json();
        assertThat(choices.path("fits").toString()).contains("nd07cpu");
        assertThat(choices.path("presets").toString()).contains("desktop", "htcondor-desktop");
        assertThat(choices.path("jobs")).isEmpty();
        String run = "{\"owners\": \"fit:nd07cpu\", \"policies\": [\"desktop\", \"strict\"],"
                + " \"machines\": 5, \"days\": 1}";
        ApiClient.Reply started = admin.post("/api/v1/simulate", run);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofMinutes(2))
                .until(() -> !admin.get("/api/v1/simulate/" + id)
                        .json()
                        .path("state")
                        .asText()
                        .equals("running"));
        JsonNode reply = admin.get("/api/v1/simulate/" + id).json();
        assertThat(reply.path("state").asText()).as(reply.toString()).isEqualTo("done");
        assertThat(reply.path("table").asText()).contains("desktop", "strict");
        ApiClient.Reply report =
                admin.get("/api/v1/simulate/" + reply.path("id").asLong() + "/report");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.body()).contains("<svg");
        assertThat(report.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("sandbox")
                .doesNotContain("script");

        ApiClient.Reply bad = admin.post("/api/v1/simulate", "{\"machines\": 100000}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("machines");
        assertThat(admin.post("/api/v1/simulate", "{\"jobs\": \"../../etc/passwd\"}")
                        .status())
                .isEqualTo(400);
        assertThat(c.user("alice").post("/api/v1/simulate", run).status()).isEqualTo(403);
    }

    @Test
    void anAdminUploadsATraceThatReadsAndABadOneIsRefusedNamingWhatIsWrongLeavingNothing() throws Exception {
        ApiClient admin = c.admin();
        // Three jobs in SWF: id, submit, wait, run time, processors, ... (18 fields).
        String swf = """
                ; a comment line
                1 0 10 3600 4 -1 -1 4 7200 -1 1 3 1 5 1 -1 -1 -1
                2 60 5 1800 1 -1 -1 1 3600 -1 1 4 1 6 1 -1 -1 -1
                3 120 0 900 2 -1 -1 2 1800 -1 1 3 1 5 1 -1 -1 -1
                """;
        ApiClient.Reply ok = admin.putBytes("/api/v1/simulate/traces/office.swf", swf.getBytes(StandardCharsets.UTF_8));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().path("kind").asText()).isEqualTo("swf");
        assertThat(ok.json().path("entries").asLong()).isEqualTo(3);
        assertThat(admin.get("/api/v1/simulate").json().path("jobs").toString()).isEqualTo("[\"office.swf\"]");

        // Compared on it: a run over the uploaded trace.
        ApiClient.Reply started = admin.post(
                "/api/v1/simulate",
                "{\"jobs\": \"office.swf\", \"policies\": [\"desktop\", \"strict\"], \"machines\": 3, \"days\": 1}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofMinutes(2))
                .until(() -> !admin.get("/api/v1/simulate/" + id)
                        .json()
                        .path("state")
                        .asText()
                        .equals("running"));
        assertThat(admin.get("/api/v1/simulate/" + id).json().path("state").asText())
                .isEqualTo("done");

        // A line that is not SWF: 400 naming the line and the field; nothing kept, nothing half-written.
        String bad = swf.replace("2 60 5 1800", "2 60 five 1800");
        ApiClient.Reply refused =
                admin.putBytes("/api/v1/simulate/traces/bad.swf", bad.getBytes(StandardCharsets.UTF_8));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText())
                .isEqualTo("bad.swf is not a readable SWF job trace: line 3: field 3 'five' is not a number");
        // Not gzip although named so; a name that is no trace's; an empty file; a taken name.
        assertThat(admin.putBytes("/api/v1/simulate/traces/x.swf.gz", swf.getBytes(StandardCharsets.UTF_8))
                        .json()
                        .path("error")
                        .asText())
                .startsWith("x.swf.gz is not a readable SWF job trace:");
        ApiClient.Reply wrongName = admin.putBytes("/api/v1/simulate/traces/notes.txt", new byte[] {1});
        assertThat(wrongName.status()).isEqualTo(400);
        assertThat(wrongName.json().path("field").asText()).isEqualTo("name");
        assertThat(admin.putBytes("/api/v1/simulate/traces/empty.csv", new byte[0])
                        .json()
                        .path("error")
                        .asText())
                .isEqualTo("the file is empty");
        assertThat(admin.putBytes("/api/v1/simulate/traces/office.swf", swf.getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(409);
        // Too large: refused by its declared length before it is read.
        ApiClient.Reply huge = admin.putBytes(
                "/api/v1/simulate/traces/huge.swf",
                new byte[(int) org.cyphon.coordinator.simulate.UploadTraces.MAX_BYTES + 1]);
        assertThat(huge.status()).isEqualTo(413);
        // A PlanetLab CPU series that reads, and one whose value is out of range.
        String csv = "host,t0,t1,t2\nalpha,10,20,30\nbeta,0,5,100\n";
        ApiClient.Reply series =
                admin.putBytes("/api/v1/simulate/traces/day.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(series.status()).as(series.body()).isEqualTo(201);
        assertThat(series.json().path("entries").asLong()).isEqualTo(2);
        ApiClient.Reply badCsv = admin.putBytes(
                "/api/v1/simulate/traces/bad.csv", csv.replace("100", "140").getBytes(StandardCharsets.UTF_8));
        assertThat(badCsv.status()).isEqualTo(400);
        assertThat(badCsv.json().path("error").asText()).startsWith("bad.csv is not a readable PlanetLab CPU series");

        try (java.util.stream.Stream<Path> left = java.nio.file.Files.walk(c.dataDir.resolve("traces"))) {
            assertThat(left.filter(java.nio.file.Files::isRegularFile)
                            .map(p -> p.getFileName().toString())
                            .sorted())
                    .containsExactly("day.csv", "office.swf");
        }
        assertThat(c.user("alice")
                        .putBytes("/api/v1/simulate/traces/mine.swf", swf.getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void theHarvestCountsWhatRanByDayAndHourOfTheWeek() {
        ApiClient alice = c.user("alice");
        TestAgent desk = c.agent("desk-1", 4);
        TestCoordinator.submit(alice, "/bin/true");
        c.periodicWork().runAll();
        List<org.cyphon.core.protocol.WorkAssignment> got = desk.work(5000);
        assertThat(got).hasSize(1);
        assertThat(desk.report(TestAgent.ended(got.get(0), org.cyphon.core.job.AttemptOutcome.EXITED, 0, 7200.0, null)))
                .allMatch(r -> r.accepted());
        JsonNode h = alice.get("/api/v1/harvest?days=7").json();
        assertThat(h.path("byDay")).hasSize(7);
        assertThat(h.path("byHourOfWeek")).hasSize(168);
        assertThat(h.path("cpuHours").asDouble()).isEqualTo(2.0);
        JsonNode today = h.path("byDay").get(6);
        assertThat(today.path("cpuHours").asDouble()).isEqualTo(2.0);
        assertThat(today.path("jobsCompleted").asLong()).isEqualTo(1);
        double week = 0;
        for (JsonNode v : h.path("byHourOfWeek")) week += v.asDouble();
        assertThat(week).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(alice.get("/api/v1/harvest?days=91").status()).isEqualTo(400);
    }

    @Test
    void theHarvestCountsOwnerVisibleEventsOnceEachAndRefusesOnesWithinTheBound() {
        ApiClient alice = c.user("alice");
        TestAgent desk = c.agent("desk-1", 4);
        java.time.Instant input = c.clock.instant().minusSeconds(5);
        var slow = new org.cyphon.core.protocol.OwnerVisibleEvent(7, 1, input, input.plusMillis(180));
        // Sent twice (a beat whose answer was lost is sent again): recorded once.
        for (int i = 0; i < 2; i++) {
            ApiClient.Reply r = beatWith(desk, List.of(slow));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        JsonNode h = alice.get("/api/v1/harvest?days=7").json();
        assertThat(h.path("ownerVisible").asLong()).isEqualTo(1);
        assertThat(h.path("yieldBoundMillis").asLong()).isEqualTo(50);
        assertThat(h.path("byDay").get(6).path("ownerVisible").asLong()).isEqualTo(1);
        assertThat(h.path("byDay").get(5).path("ownerVisible").asLong()).isZero();
        // The live desk view does not carry them on (the store does).
        assertThat(alice.get("/api/v1/machines/desk-1").json().path("desk").has("ownerVisible"))
                .isFalse();

        // A yield within the bound is no owner-visible event: the beat is refused, naming it, and nothing is recorded.
        var quick = new org.cyphon.core.protocol.OwnerVisibleEvent(8, 1, input, input.plusMillis(20));
        ApiClient.Reply refused = beatWith(desk, List.of(quick));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("field").asText()).isEqualTo("desk.ownerVisible");
        assertThat(refused.body()).contains("[0] yielded within the 50 ms bound");
        assertThat(alice.get("/api/v1/harvest?days=7")
                        .json()
                        .path("ownerVisible")
                        .asLong())
                .isEqualTo(1);
    }

    private ApiClient.Reply beatWith(TestAgent desk, List<org.cyphon.core.protocol.OwnerVisibleEvent> slow) {
        var view = new org.cyphon.core.protocol.DeskView(
                "present", 0, false, false, "desktop", List.of("test"), List.of(), null, null, c.clock.instant(), slow);
        return desk.api.post(
                "/api/v1/agents/desk-1/heartbeat",
                new org.cyphon.core.protocol.Heartbeat(4, 8L << 30, "nice-only", null, List.of(), null, view));
    }

    private static List<Long> ids(JsonNode list) {
        List<Long> out = new ArrayList<>();
        list.path("jobs").forEach(j -> out.add(j.path("id").asLong()));
        return out;
    }

    private HttpResponse<String> signIn(String token, String origin) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(c.url() + "/dashboard/signin"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Origin", origin)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> out = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i < more.length; i += 2) out.put(more[i], more[i + 1]);
        return out;
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        return send(method, path, headers, null);
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String json)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url() + path))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiClient.JSON.readTree(r.body());
    }
}
