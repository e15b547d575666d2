package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.MeasuredResources;
import org.cyphon.core.protocol.TokenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Joining and identity, tried as an attacker would: a real coordinator over real HTTP, its real
 * store, its real log. Each attack is refused, and what it aimed at (a desk's attempt, its owner,
 * a job) is unchanged.
 */
@OnEveryStore
class IdentityTest {
    private final TestStore store;

    IdentityTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    TestCoordinator c;
    ListAppender<ILoggingEvent> log;
    ch.qos.logback.classic.Level cyphonLevel;

    @BeforeEach
    void start() throws Exception {
        log = new ListAppender<>();
        log.start();
        root().addAppender(log);
        // Everything ours logs, down to DEBUG, is searched for secrets.
        cyphonLevel = cyphon().getLevel();
        cyphon().setLevel(ch.qos.logback.classic.Level.DEBUG);
        c = TestCoordinator.start(store, dir);
    }

    @AfterEach
    void stop() {
        if (c != null) c.close();
        root().detachAppender(log);
        cyphon().setLevel(cyphonLevel);
    }

    private static Logger cyphon() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.cyphon");
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private JsonNode joinSecret(String expires, int uses) {
        ApiClient.Reply r = c.admin().post("/api/v1/admin/join-secrets", Map.of("expires", expires, "uses", uses));
        assertThat(r.status()).isEqualTo(201);
        return r.json();
    }

    private static EnrollRequest desk(String name) {
        return new EnrollRequest(
                name,
                2,
                4L << 30,
                "nice-only",
                null,
                "test",
                null,
                null,
                null,
                new MeasuredResources(2, 4L << 30, Map.of("os", "linux", "arch", "x86_64")));
    }

    private ApiClient.Reply enroll(String secret, String name) {
        return new ApiClient(c.url(), secret).post("/api/v1/agents/enroll", desk(name));
    }

    @Test
    void aStolenJoinLineUsedTwiceIsRefusedTheSecondTime() {
        JsonNode s = joinSecret("24h", 1);
        // Plain HTTP: no CA to pin (null, which the wire leaves out).
        assertThat(s.hasNonNull("caFingerprint")).isFalse();
        String secret = s.path("secret").asText();
        assertThat(enroll(secret, "desk-1").status()).isEqualTo(200);
        ApiClient.Reply thief = enroll(secret, "fake-desk");
        assertThat(thief.status()).isEqualTo(401);
        assertThat(thief.error()).contains("used up");
        assertThat(c.admin().get("/api/v1/machines/fake-desk").status()).isEqualTo(404);
        // N uses: N machines, each under a new name, then no more.
        String three = joinSecret("1h", 2).path("secret").asText();
        assertThat(enroll(three, "desk-2").status()).isEqualTo(200);
        assertThat(enroll(three, "desk-3").status()).isEqualTo(200);
        assertThat(enroll(three, "desk-4").status()).isEqualTo(401);
        JsonNode listed = c.admin().get("/api/v1/admin/join-secrets").json().path("joinSecrets");
        assertThat(listed).hasSize(2);
        assertThat(listed.toString()).doesNotContain(secret).doesNotContain(three);
        // Both were made in the same millisecond at times: find the two-use one by what it enrolled.
        JsonNode twoUses = listed.get(0).path("machines").toString().contains("desk-2") ? listed.get(0) : listed.get(1);
        assertThat(twoUses.path("machines").toString()).contains("desk-2", "desk-3");
        assertThat(twoUses.path("state").asText()).isEqualTo("used up");
    }

    @Test
    void anExpiredOrRevokedJoinSecretIsRefused() {
        String expiring = joinSecret("1h", 5).path("secret").asText();
        JsonNode revoked = joinSecret("1h", 5);
        assertThat(c.admin()
                        .delete("/api/v1/admin/join-secrets/"
                                + revoked.path("name").asText())
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("revoked");
        ApiClient.Reply r = enroll(revoked.path("secret").asText(), "desk-r");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).contains("revoked");
        c.clock.advance(Duration.ofMinutes(61));
        ApiClient.Reply e = enroll(expiring, "desk-e");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.error()).contains("expired");
        assertThat(c.admin().get("/api/v1/machines").json().path("machines")).isEmpty();
    }

    @Test
    void aBadJoinSecretRequestNamesTheField() {
        assertThat(c.admin()
                        .post("/api/v1/admin/join-secrets", Map.of("uses", 0))
                        .field())
                .isEqualTo("uses");
        assertThat(c.admin()
                        .post("/api/v1/admin/join-secrets", Map.of("expires", "soon"))
                        .field())
                .isEqualTo("expires");
        assertThat(c.user("alice").post("/api/v1/admin/join-secrets", Map.of()).status())
                .isEqualTo(403);
    }

    @Test
    void enrollingUnderAnEnrolledDesksNameIsRefusedAndTheDeskKeepsItsAttemptAndOwner() {
        TestAgent real = TestAgent.enrollWith(
                c,
                c.coordinator().enrollToken(),
                new EnrollRequest("m1", 4, 8L << 30, "nice-only", null, "test", null, "alice", null));
        long id = submit(c.user("bob"), "/bin/sleep", "1000");
        var w = real.work(10_000).get(0);
        String secret = joinSecret("1h", 1).path("secret").asText();
        ApiClient.Reply impostor = new ApiClient(c.url(), secret)
                .post(
                        "/api/v1/agents/enroll",
                        new EnrollRequest("m1", 64, 512L << 30, "nice-only", null, "x", null, "mallory", null));
        assertThat(impostor.status()).isEqualTo(409);
        assertThat(impostor.error()).contains("cyphon machine m1 --forget");
        // The real agent's credential still works, its attempt is still current and the desk still alice's.
        HeartbeatReply beat = real.beat();
        assertThat(beat.stop()).isEmpty();
        var job = show(c.admin(), id);
        assertThat(job.state()).isEqualTo("running");
        assertThat(job.attempts())
                .singleElement()
                .satisfies(a -> assertThat(a.fencingToken()).isEqualTo(w.fencingToken()));
        assertThat(c.admin().get("/api/v1/machines/m1").json().path("owner").asText())
                .isEqualTo("alice");
        // A refused enrollment does not use the secret up: the admin's real new desk can still join.
        assertThat(enroll(secret, "m2").status()).isEqualTo(200);
    }

    @Test
    void aForgottenMachineGets401ItsNameIsFreeAndTheForgetIsAudited() {
        TestAgent old = c.agent("m1", 4);
        long id = submit(c.user("bob"), "/bin/sleep", "1000");
        old.work(10_000);
        assertThat(c.user("bob").post("/api/v1/machines/m1/forget", null).status())
                .isEqualTo(403);
        JsonNode forgot = c.admin().post("/api/v1/machines/m1/forget", null).json();
        assertThat(forgot.path("attemptsLost").asInt()).isEqualTo(1);
        assertThat(old.api
                        .post(
                                "/api/v1/agents/m1/heartbeat",
                                new org.cyphon.core.protocol.Heartbeat(4, 8L << 30, null, null, null))
                        .status())
                .isEqualTo(401);
        assertThat(old.api.get("/api/v1/agents/m1/work?waitMs=0").status()).isEqualTo(401);
        assertThat(show(c.admin(), id).state()).isEqualTo("queued");
        JsonNode audit = c.admin().get("/api/v1/machines/m1/desk/audit").json();
        assertThat(audit.toString()).contains("\"forget\"").contains("admin");
        // The name is free: a new desk takes it.
        String secret = joinSecret("1h", 1).path("secret").asText();
        assertThat(enroll(secret, "m1").status()).isEqualTo(200);
        assertThat(c.admin().post("/api/v1/machines/nope/forget", null).status())
                .isEqualTo(404);
    }

    @Test
    void aRevokedUserTokenGets401OnTheVeryNextRequestAndAnExpiredOneAfterItsTime() {
        ApiClient admin = c.admin();
        String t1 = admin.post("/api/v1/tokens", new TokenRequest("alice", false))
                .json()
                .path("token")
                .asText();
        String t2 = admin.post("/api/v1/tokens", new TokenRequest("alice", false, "30d"))
                .json()
                .path("token")
                .asText();
        ApiClient alice1 = new ApiClient(c.url(), t1);
        ApiClient alice2 = new ApiClient(c.url(), t2);
        // Used, so cached: a revoke must reach past the cache.
        assertThat(alice1.get("/api/v1/jobs").status()).isEqualTo(200);
        assertThat(alice2.get("/api/v1/jobs").status()).isEqualTo(200);
        JsonNode list = admin.get("/api/v1/tokens").json().path("tokens");
        assertThat(list.toString()).doesNotContain(t1).doesNotContain(t2);
        String t1id = null;
        for (JsonNode t : list) {
            if (t.path("name").asText().equals("alice") && !t.hasNonNull("expiresAt"))
                t1id = t.path("id").asText();
        }
        assertThat(t1id).hasSize(12);
        assertThat(admin.delete("/api/v1/tokens?id=" + t1id)
                        .json()
                        .path("revoked")
                        .asInt())
                .isEqualTo(1);
        assertThat(alice1.get("/api/v1/jobs").status()).isEqualTo(401);
        assertThat(alice2.get("/api/v1/jobs").status()).isEqualTo(200);
        c.clock.advance(Duration.ofDays(31));
        ApiClient.Reply expired = alice2.get("/api/v1/jobs");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.error()).contains("expired");
        // By name: every token of the user.
        String t3 = admin.post("/api/v1/tokens", new TokenRequest("carol", false))
                .json()
                .path("token")
                .asText();
        assertThat(new ApiClient(c.url(), t3).get("/api/v1/jobs").status()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/tokens/carol").json().path("revoked").asInt())
                .isEqualTo(1);
        assertThat(new ApiClient(c.url(), t3).get("/api/v1/jobs").status()).isEqualTo(401);
        assertThat(admin.delete("/api/v1/tokens/admin").status()).isEqualTo(400);
    }

    @Test
    void aRotatedCredentialReplacesTheOldOneAtItsFirstUseAndALostReplyCostsNothing() {
        TestAgent a = c.agent("m1", 4);
        assertThat(c.admin()
                        .post("/api/v1/machines/m1/rotate-credentials", null)
                        .status())
                .isEqualTo(200);
        String lost = a.beat().agentToken();
        assertThat(lost).isNotNull();
        // That reply was lost: the old credential still works and a fresh one is handed out.
        String fresh = a.beat().agentToken();
        assertThat(fresh).isNotNull().isNotEqualTo(lost);
        ApiClient next = new ApiClient(c.url(), fresh);
        assertThat(next.get("/api/v1/agents/m1/work?waitMs=0").status()).isEqualTo(200);
        assertThat(a.api.get("/api/v1/agents/m1/work?waitMs=0").status()).isEqualTo(401);
        assertThat(new ApiClient(c.url(), lost)
                        .get("/api/v1/agents/m1/work?waitMs=0")
                        .status())
                .isEqualTo(401);
        // Done: the next beat hands out nothing.
        assertThat(next.post(
                                "/api/v1/agents/m1/heartbeat",
                                new org.cyphon.core.protocol.Heartbeat(4, 8L << 30, null, null, null))
                        .as(HeartbeatReply.class)
                        .agentToken())
                .isNull();
        assertThat(c.admin().get("/api/v1/machines/m1/desk/audit").json().toString())
                .contains("rotate-credentials");
    }

    @Test
    void advertisedResourcesBeyondWhatWasMeasuredAreFlagged() {
        TestAgent honest = TestAgent.enrollWith(c, c.coordinator().enrollToken(), desk("honest"));
        honest.beatLabels(Map.of("os", "linux", "arch", "x86_64"));
        String secret = joinSecret("1h", 1).path("secret").asText();
        TestAgent liar = TestAgent.enrollWith(
                c,
                secret,
                new EnrollRequest(
                        "liar",
                        64,
                        4L << 30,
                        "nice-only",
                        null,
                        "test",
                        null,
                        null,
                        null,
                        new MeasuredResources(2, 4L << 30, Map.of("os", "linux"))));
        liar.beatLabels(Map.of("os", "linux", "gpu", "nvidia"));
        TestAgent silent = TestAgent.enroll(c, "silent", 2, 1L << 30);
        silent.beat();
        JsonNode machines = c.admin().get("/api/v1/machines").json().path("machines");
        Map<String, String> flags = new java.util.HashMap<>();
        for (JsonNode m : machines)
            flags.put(m.path("name").asText(), m.path("flags").toString());
        assertThat(flags.get("honest")).isEqualTo("[]");
        assertThat(flags.get("liar"))
                .contains("advertises 64 cpus, measured 2")
                .contains("gpu=nvidia, measured no gpu");
        assertThat(flags.get("silent")).contains("measured nothing");
        assertThat(c.admin()
                        .get("/api/v1/machines/liar")
                        .json()
                        .path("joinedWith")
                        .asText())
                .startsWith("join-");
    }

    @Test
    void withApprovalANewDeskWaitsInPendingAndTakesNoWorkUntilApproved() throws Exception {
        c.close();
        c = TestCoordinator.start(store, dir.resolve("approve"), cfg -> cfg.withJoinApprove(true));
        String secret = joinSecret("1h", 1).path("secret").asText();
        TestAgent a = TestAgent.enrollWith(c, secret, desk("new-desk"));
        long id = submit(c.user("bob"), "/bin/true");
        assertThat(a.beat().drained()).isTrue();
        assertThat(a.work(300)).isEmpty();
        assertThat(c.admin()
                        .get("/api/v1/machines/new-desk")
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("pending");
        // Undraining is not approving.
        c.admin().post("/api/v1/machines/new-desk/undrain", null);
        assertThat(a.work(300)).isEmpty();
        assertThat(c.user("bob").post("/api/v1/machines/new-desk/approve", null).status())
                .isEqualTo(403);
        assertThat(c.admin()
                        .post("/api/v1/machines/new-desk/approve", null)
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("online");
        assertThat(a.work(10_000))
                .singleElement()
                .satisfies(w -> assertThat(w.jobId()).isEqualTo(id));
        assertThat(c.admin().post("/api/v1/machines/new-desk/approve", null).status())
                .isEqualTo(409);
    }

    @Test
    void secretsNeverReachTheLogAndTheStoreKeepsOnlyTheirHashes() throws Exception {
        JsonNode s = joinSecret("1h", 1);
        String secret = s.path("secret").asText();
        assertThat(enroll(secret, "desk-1").status()).isEqualTo(200);
        assertThat(enroll(secret, "desk-2").status()).isEqualTo(401);
        String user = c.admin()
                .post("/api/v1/tokens", new TokenRequest("alice", false))
                .json()
                .path("token")
                .asText();
        c.admin().post("/api/v1/machines/desk-1/rotate-credentials", null);
        String admin = c.coordinator().adminToken();
        // The store: only the hash of each (every row read, as a backup or a DBA would).
        assertThat(c.store().everyValue())
                .doesNotContain(secret)
                .doesNotContain(user)
                .doesNotContain(admin);
        try (var conn = c.store().connect();
                var st = conn.createStatement();
                var rs = st.executeQuery("SELECT secret_hash FROM join_secrets")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1))
                    .isNotEqualTo(secret)
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256")
                                    .digest(secret.getBytes(StandardCharsets.UTF_8))));
        }
        c.close();
        c = null;
        String logged = String.join(
                "\n", log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertThat(logged).contains("join secret " + s.path("name").asText());
        assertThat(logged).doesNotContain(secret).doesNotContain(user).doesNotContain(admin);
        // No file of the coordinator's but the admin.token file holds any of them in the clear.
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(f.toString()).doesNotContain(secret).doesNotContain(user);
            }
        }
    }
}
