package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.job;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.TokenReply;
import org.cyphon.core.protocol.TokenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may do what: 401 without a known token, 403 with a known token that may not. */
@OnEveryStore
class AuthTest {
    private final TestStore store;

    AuthTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    TestCoordinator c;

    @BeforeEach
    void start() throws Exception {
        c = TestCoordinator.start(store, dir);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void tokensAreMadeAtFirstStartOwnerOnly() throws Exception {
        Path admin = dir.resolve("admin.token");
        Path enroll = dir.resolve("enroll.token");
        assertThat(Files.readString(admin).trim())
                .isEqualTo(c.coordinator().adminToken())
                .hasSizeGreaterThanOrEqualTo(43);
        assertThat(Files.readString(enroll).trim()).isEqualTo(c.coordinator().enrollToken());
        assertThat(c.coordinator().adminToken())
                .isNotEqualTo(c.coordinator().enrollToken())
                .matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(admin)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(enroll)))
                .isEqualTo("rw-------");
    }

    @Test
    void missingOrWrongTokenIs401() {
        ApiClient.Reply none = c.anonymous().get("/api/v1/jobs");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).contains("token");
        assertThat(c.anonymous().as("nonsense").get("/api/v1/jobs").status()).isEqualTo(401);
        assertThat(c.anonymous()
                        .as("nonsense")
                        .post("/api/v1/jobs", job("/bin/true"))
                        .status())
                .isEqualTo(401);
        assertThat(c.anonymous()
                        .post("/api/v1/agents/enroll", new EnrollRequest("m1", 1, 1 << 30, null, null, null))
                        .status())
                .isEqualTo(401);
        // Health needs no token.
        assertThat(c.anonymous().get("/api/v1/health").json().path("status").asText())
                .isEqualTo("ok");
    }

    @Test
    void aUserMayChangeOnlyTheirOwnJobsAndAdminAny() {
        ApiClient alice = c.user("alice");
        ApiClient bob = c.user("bob");
        long alices = submit(alice, "/bin/true");

        for (String action : new String[] {"cancel", "hold"}) {
            ApiClient.Reply r = bob.post("/api/v1/jobs/" + alices + "/" + action, null);
            assertThat(r.status()).as(action).isEqualTo(403);
            assertThat(r.error()).contains("alice");
        }
        // Bob may still read it.
        assertThat(show(bob, alices).submission().owner()).isEqualTo("alice");
        assertThat(show(bob, alices).state()).isEqualTo("queued");

        assertThat(c.admin()
                        .post("/api/v1/jobs/" + alices + "/hold", null)
                        .as(JobView.class)
                        .state())
                .isEqualTo("held");
        assertThat(alice.post("/api/v1/jobs/" + alices + "/release", null)
                        .as(JobView.class)
                        .state())
                .isEqualTo("queued");
    }

    @Test
    void adminMintsUserAndAdminTokens() {
        ApiClient alice = c.user("alice");
        ApiClient.Reply userMints = alice.post("/api/v1/tokens", new TokenRequest("carol", false));
        assertThat(userMints.status()).isEqualTo(403);

        TokenReply ops = c.admin().post("/api/v1/tokens", new TokenRequest("ops", true), TokenReply.class);
        assertThat(ops.admin()).isTrue();
        ApiClient opsClient = c.anonymous().as(ops.token());
        long alices = submit(alice, "/bin/true");
        assertThat(opsClient
                        .post("/api/v1/jobs/" + alices + "/cancel", null)
                        .as(JobView.class)
                        .progress()
                        .reason())
                .contains("ops");

        assertThat(c.admin()
                        .post("/api/v1/tokens", new TokenRequest("admin", false))
                        .field())
                .isEqualTo("name");
        assertThat(c.admin()
                        .post("/api/v1/tokens", new TokenRequest("bad name!", false))
                        .field())
                .isEqualTo("name");
    }

    @Test
    void theEnrollmentTokenOnlyEnrolls() {
        ApiClient enroller = c.anonymous().as(c.coordinator().enrollToken());
        assertThat(enroller.post("/api/v1/jobs", job("/bin/true")).status()).isEqualTo(403);
        assertThat(enroller.get("/api/v1/jobs").status()).isEqualTo(403);
        assertThat(enroller.post("/api/v1/tokens", new TokenRequest("x", true)).status())
                .isEqualTo(403);
        assertThat(c.admin().get("/api/v1/jobs", JobList.class).jobs()).isEmpty();
    }

    @Test
    void anAgentTokenOnlyActsForItsOwnMachine() {
        TestAgent m1 = c.agent("m1", 2);
        c.agent("m2", 2);
        assertThat(m1.api
                        .post("/api/v1/agents/m2/heartbeat", new Heartbeat(2, 1 << 30, null, null, null))
                        .status())
                .isEqualTo(403);
        assertThat(m1.api.get("/api/v1/agents/m2/work?waitMs=0").status()).isEqualTo(403);
        assertThat(m1.api.post("/api/v1/jobs", job("/bin/true")).status()).isEqualTo(403);
        assertThat(m1.api
                        .post("/api/v1/agents/enroll", new EnrollRequest("m3", 1, 1 << 30, null, null, null))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void enrollingAgainUnderAnEnrolledNameIsRefusedAndTheDeskKeepsItsToken() {
        TestAgent first = c.agent("m1", 2);
        ApiClient.Reply again = new ApiClient(c.url(), c.coordinator().enrollToken())
                .post("/api/v1/agents/enroll", new EnrollRequest("m1", 2, 1 << 30, null, null, null));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).contains("already enrolled").contains("cyphon machine m1 --forget");
        assertThat(first.api
                        .post("/api/v1/agents/m1/heartbeat", new Heartbeat(2, 1 << 30, null, null, null))
                        .status())
                .isEqualTo(200);
    }
}
