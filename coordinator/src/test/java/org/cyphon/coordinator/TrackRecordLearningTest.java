package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.protocol.HeartbeatReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeats over a scripted clock teach the coordinator a desk's week: an office worker present
 * Monday to Friday 9-17. The profile, the forecast and the reply's hints follow, and a restart keeps
 * what was learned.
 */
@OnEveryStore
class TrackRecordLearningTest {
    private final TestStore store;

    TrackRecordLearningTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    /** Mon 2026-11-30 00:00 UTC. */
    private static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");

    private static final int WEDNESDAY_11 = 2 * 24 + 11;
    private static final int WEDNESDAY_03 = 2 * 24 + 3;
    private static final int SUNDAY_14 = 6 * 24 + 14;

    @Test
    void aScriptedOfficeWeekBuildsTheProfileAndARestartKeepsIt() throws Exception {
        // Beats every 30 minutes; a lease of 2 h keeps the desk "on" between them.
        try (TestCoordinator c =
                TestCoordinator.start(store, dir, cfg -> cfg.withLeases(Duration.ofSeconds(2), Duration.ofHours(2)))) {
            DeskBeats m1 = DeskBeats.enroll(c, "m1", "alice", "UTC");
            c.clock.advance(Duration.between(c.clock.instant(), MONDAY));
            HeartbeatReply last = null;
            HeartbeatReply lastAway = null;
            HeartbeatReply lastPresent = null;
            for (int step = 0; step < 3 * 7 * 48; step++) {
                ZonedDateTime t = c.clock.instant().atZone(ZoneOffset.UTC);
                boolean workday = t.getDayOfWeek().getValue() <= DayOfWeek.FRIDAY.getValue();
                boolean office = workday && t.getHour() >= 9 && t.getHour() < 17;
                last = office ? m1.present() : m1.away();
                if (office) lastPresent = last;
                else lastAway = last;
                c.clock.advance(Duration.ofMinutes(30));
            }
            // Present: no return to expect. Away: the owner is expected back at some point ahead.
            assertThat(lastPresent.ownerExpectedBy()).isNull();
            assertThat(lastAway.ownerExpectedBy()).isAfter(c.clock.instant().minus(Duration.ofMinutes(30)));
            assertThat(last.awayUntil()).isNull();

            JsonNode profile = c.admin().get("/api/v1/machines/m1").json().path("profile");
            assertThat(profile.path("zone").asText()).isEqualTo("UTC");
            assertThat(profile.path("presentProbability")).hasSize(168);
            assertThat(profile.path("presentProbability").get(WEDNESDAY_11).asDouble())
                    .isGreaterThan(0.7);
            assertThat(profile.path("presentProbability").get(WEDNESDAY_03).asDouble())
                    .isLessThan(0.3);
            assertThat(profile.path("presentProbability").get(SUNDAY_14).asDouble())
                    .isLessThan(0.3);
            assertThat(profile.path("evidenceHours").get(WEDNESDAY_11).asDouble())
                    .isGreaterThan(1.0);
            assertThat(profile.path("state").asText()).isEqualTo("away"); // Monday 00:00, three weeks on
            JsonNode f = profile.path("forecast");
            assertThat(f.path("awayAtLeast1h").asDouble())
                    .isBetween(f.path("awayAtLeast3h").asDouble(), 1.0);
            assertThat(f.path("awayAtLeast3h").asDouble())
                    .isGreaterThanOrEqualTo(f.path("awayAtLeast8h").asDouble());
            assertThat(f.path("expectedRemainingSeconds").asLong()).isPositive();
            assertThat(f.path("idleSeconds").asLong())
                    .isEqualTo(Duration.ofHours(55).toSeconds()); // since Friday 17:00

            // What the scheduler reads: the desk's forecast now, with the idle time so far.
            Map<String, IdleForecast> forecasts = c.coordinator().trackRecord().forecastsAt(c.clock.instant());
            assertThat(forecasts).containsOnlyKeys("m1");
            assertThat(forecasts.get("m1").stayAway(Duration.ofHours(1))).isBetween(0.0, 1.0);

            c.restart();
            JsonNode again = c.admin().get("/api/v1/machines/m1").json().path("profile");
            assertThat(again.path("presentProbability")).isEqualTo(profile.path("presentProbability"));
            assertThat(again.path("evidenceHours")).isEqualTo(profile.path("evidenceHours"));
            assertThat(again.path("state").asText()).isEqualTo("away");
            assertThat(again.path("stateSince")).isEqualTo(profile.path("stateSince"));

            // Learning goes on after the restart, with no gap recorded: the away stretch still open
            // when it stopped (since Friday 17:00) closes when the owner comes back on Monday 00:30.
            m1.away();
            c.clock.advance(Duration.ofMinutes(30));
            m1.present();
            String history =
                    c.admin().get("/api/v1/history?since=2026-12-18T00:00:00Z").body();
            assertThat(history).doesNotContain("\toff");
            assertThat(history.lines()
                            .filter(l -> l.endsWith("\taway"))
                            .reduce((a, b) -> b)
                            .orElseThrow())
                    .isEqualTo("m1\t" + Duration.ofHours(17).toSeconds() + "\t"
                            + (Duration.ofHours(72).toSeconds() + 1800) + "\taway");
        }
    }

    @Test
    void anUnknownOwnerOrZoneAtEnrollmentIsRefusedByName() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            ApiClient enroller = new ApiClient(c.url(), c.coordinator().enrollToken());
            ApiClient.Reply zone = enroller.post(
                    "/api/v1/agents/enroll",
                    new org.cyphon.core.protocol.EnrollRequest(
                            "m1", 4, 1L << 30, "nice-only", null, "t", null, "alice", "Mars/Olympus"));
            assertThat(zone.status()).isEqualTo(400);
            assertThat(zone.field()).isEqualTo("zone");
            ApiClient.Reply owner = enroller.post(
                    "/api/v1/agents/enroll",
                    new org.cyphon.core.protocol.EnrollRequest(
                            "m1", 4, 1L << 30, "nice-only", null, "t", null, "alice smith", null));
            assertThat(owner.status()).isEqualTo(400);
            assertThat(owner.field()).isEqualTo("owner");
            assertThat(c.admin().get("/api/v1/machines/m1").status()).isEqualTo(404); // nothing half-written
        }
    }
}
