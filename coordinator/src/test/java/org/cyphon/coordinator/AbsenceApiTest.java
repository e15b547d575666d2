package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.cyphon.core.protocol.AbsenceRequest;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.OwnerRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /machines/{name}/away|back|owner}: an owner may declare their own desk away, an admin
 * any; anyone else is refused. The declaration is durable, shown with the machine, and told to its agent.
 */
@OnEveryStore
class AbsenceApiTest {
    private final TestStore store;

    AbsenceApiTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    @Test
    void theOwnerOrAnAdminDeclaresADeskAwayAndBack() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) { // clock: Tue 2026-11-24T10:00:00Z
            DeskBeats m1 = DeskBeats.enroll(c, "m1", "alice", "Europe/Berlin");
            DeskBeats.enroll(c, "m2", null, null); // a second desk, with no owner: not the alice's to declare
            m1.present();
            ApiClient alice = c.user("alice");
            ApiClient bob = c.user("bob");

            ApiClient.Reply refused = bob.post("/api/v1/machines/m1/away", new AbsenceRequest("3d", null));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.error()).contains("alice");
            assertThat(alice.post("/api/v1/machines/m2/away", new AbsenceRequest("3d", null))
                            .status())
                    .isEqualTo(403); // nobody's desk

            // A date is the start of that day in the desk's zone: back on the 24th, Berlin time.
            JsonNode m = alice.post("/api/v1/machines/m1/away", new AbsenceRequest("2026-12-24", "vacation"))
                    .json();
            assertThat(m.path("owner").asText()).isEqualTo("alice");
            JsonNode a = m.path("absence");
            assertThat(a.path("kind").asText()).isEqualTo("declared");
            assertThat(a.path("until").asText()).isEqualTo("2026-12-23T23:00:00Z");
            assertThat(a.path("since").asText()).isEqualTo("2026-11-24T10:00:00Z");
            assertThat(a.path("by").asText()).isEqualTo("alice");
            assertThat(a.path("reason").asText()).isEqualTo("vacation");

            // The agent hears it: the desk VM may stay saved until then.
            HeartbeatReply r = m1.away();
            assertThat(r.awayUntil()).isEqualTo(Instant.parse("2026-12-23T23:00:00Z"));
            assertThat(r.ownerExpectedBy()).isAfterOrEqualTo(Instant.parse("2026-12-23T23:00:00Z"));

            // Durable, and in the listing.
            c.restart();
            JsonNode listed =
                    c.admin().get("/api/v1/machines").json().path("machines").get(0);
            assertThat(listed.path("name").asText()).isEqualTo("m1");
            assertThat(listed.path("absence").path("until").asText()).isEqualTo("2026-12-23T23:00:00Z");
            assertThat(listed.has("profile")).isFalse(); // listings stay small

            assertThat(bob.post("/api/v1/machines/m1/back", null).status()).isEqualTo(403);
            JsonNode back = alice.post("/api/v1/machines/m1/back", null).json();
            assertThat(back.has("absence")).isFalse();
            assertThat(m1.away().awayUntil()).isNull();

            // An admin may declare any desk, with a relative end.
            JsonNode admin = c.admin()
                    .post("/api/v1/machines/m2/away", new AbsenceRequest("36h", null))
                    .json();
            assertThat(admin.path("absence").path("until").asText()).isEqualTo("2026-11-25T22:00:00Z");
            assertThat(admin.path("absence").path("by").asText()).isEqualTo("admin");
            c.restart();
            assertThat(c.admin().get("/api/v1/machines/m1").json().has("absence"))
                    .isFalse(); // back is durable too
        }
    }

    @Test
    void badInputIsRefusedNamingTheField() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            DeskBeats.enroll(c, "m1", "alice", "UTC").present();
            ApiClient alice = c.user("alice");
            for (String until : new String[] {"someday", "2026-11-01", "-3d", "2029-01-01", ""}) {
                ApiClient.Reply bad = alice.post("/api/v1/machines/m1/away", new AbsenceRequest(until, null));
                assertThat(bad.status()).as(until).isEqualTo(400);
                assertThat(bad.field()).as(until).isEqualTo("until");
            }
            ApiClient.Reply longReason =
                    alice.post("/api/v1/machines/m1/away", new AbsenceRequest("3d", "x".repeat(501)));
            assertThat(longReason.field()).isEqualTo("reason");
            assertThat(alice.post("/api/v1/machines/m1/away", "{\"until\": \"3d\", \"when\": 1}")
                            .field())
                    .isEqualTo("when");
            assertThat(alice.post("/api/v1/machines/nope/away", new AbsenceRequest("3d", null))
                            .status())
                    .isEqualTo(404);
            assertThat(c.admin().get("/api/v1/machines/m1").json().has("absence"))
                    .isFalse(); // nothing half-written
        }
    }

    @Test
    void anAdminSetsWhoseDeskItIs() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            DeskBeats.enroll(c, "m1", null, null).present();
            ApiClient alice = c.user("alice");
            assertThat(alice.post("/api/v1/machines/m1/owner", new OwnerRequest("alice"))
                            .status())
                    .isEqualTo(403);
            assertThat(c.admin()
                            .post("/api/v1/machines/m1/owner", new OwnerRequest("alice smith"))
                            .field())
                    .isEqualTo("owner");
            assertThat(c.admin()
                            .post("/api/v1/machines/m1/owner", new OwnerRequest("alice"))
                            .json()
                            .path("owner")
                            .asText())
                    .isEqualTo("alice");
            assertThat(alice.post("/api/v1/machines/m1/away", new AbsenceRequest("1d", null))
                            .status())
                    .isEqualTo(200);
            c.restart();
            assertThat(c.admin().get("/api/v1/machines/m1").json().path("owner").asText())
                    .isEqualTo("alice");
            // Enrolling again under the name is refused (its identity is bound), so no one can make it theirs.
            ApiClient enroller = new ApiClient(c.url(), c.coordinator().enrollToken());
            assertThat(enroller.post(
                                    "/api/v1/agents/enroll",
                                    new org.cyphon.core.protocol.EnrollRequest(
                                            "m1", 4, 8L << 30, "nice-only", null, "test", null, "carol", null))
                            .status())
                    .isEqualTo(409);
            assertThat(c.admin().get("/api/v1/machines/m1").json().path("owner").asText())
                    .isEqualTo("alice");
            assertThat(c.admin()
                            .post("/api/v1/machines/m1/owner", new OwnerRequest(null))
                            .json()
                            .has("owner"))
                    .isFalse();
        }
    }

    @Test
    void aHeadlessDeskIsAwayFromItsFirstBeatNotSince1970() throws Exception {
        headlessDeskIsAwayFromItsFirstBeat(DeskBeats::awayNobodySeen);
    }

    @Test
    void anOlderAgentsHeadlessDeskIsReadTheSameFromItsIdleTimeSince1970() throws Exception {
        headlessDeskIsAwayFromItsFirstBeat(DeskBeats::awayNobodySeenByAnOlderAgent);
    }

    private void headlessDeskIsAwayFromItsFirstBeat(java.util.function.Consumer<DeskBeats> beat) throws Exception {
        try (TestCoordinator c =
                TestCoordinator.start(store, dir, cfg -> cfg.withLeases(Duration.ofSeconds(2), Duration.ofHours(2)))) {
            DeskBeats rack = DeskBeats.enroll(c, "rack-1", null, "UTC");
            java.time.Instant first = c.clock.instant();
            beat.accept(rack);
            JsonNode desk = c.admin().get("/api/v1/machines/rack-1").json().path("desk");
            assertThat(desk.path("nobodySeen").asBoolean()).as(desk.toString()).isTrue();
            c.clock.advance(Duration.ofHours(1));
            beat.accept(rack);
            assertThat(c.admin().get("/api/v1/machines/rack-1").json().has("absence"))
                    .as("an hour of watching is no vacation, whatever the agent's idle counter says")
                    .isFalse();
            for (int i = 0; i < 40; i++) {
                c.clock.advance(Duration.ofHours(1));
                beat.accept(rack);
            }
            JsonNode a = c.admin().get("/api/v1/machines/rack-1").json().path("absence");
            assertThat(a.path("since").asText())
                    .as("the absence began when the coordinator first saw the desk")
                    .isEqualTo(first.toString());
        }
    }

    @Test
    void anAbsenceLongerThanTheThresholdIsDetected() throws Exception {
        try (TestCoordinator c =
                TestCoordinator.start(store, dir, cfg -> cfg.withLeases(Duration.ofSeconds(2), Duration.ofHours(2)))) {
            DeskBeats m1 = DeskBeats.enroll(c, "m1", "alice", "UTC");
            m1.away(Duration.ofHours(1));
            for (int i = 0; i < 40; i++) {
                c.clock.advance(Duration.ofHours(1));
                m1.away();
            }
            JsonNode a = c.admin().get("/api/v1/machines/m1").json().path("absence");
            assertThat(a.path("kind").asText()).isEqualTo("detected");
            assertThat(a.path("since").asText()).isEqualTo("2026-11-24T09:00:00Z");
            assertThat(a.has("until")).isFalse();
            m1.present();
            assertThat(c.admin().get("/api/v1/machines/m1").json().has("absence"))
                    .isFalse();
        }
    }
}
