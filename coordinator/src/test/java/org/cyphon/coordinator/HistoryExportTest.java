package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /history}: the presence the coordinator saw, in the format the simulator replays. */
@OnEveryStore
class HistoryExportTest {
    private final TestStore store;

    HistoryExportTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    /** Beats an hour apart: a lease of 2 h keeps the desk "on" between them. */
    private TestCoordinator start() throws Exception {
        return TestCoordinator.start(store, dir, c -> c.withLeases(Duration.ofSeconds(2), Duration.ofHours(2)));
    }

    @Test
    void exportsPresentAwayAndOffIntervalsFromTheOrigin() throws Exception {
        try (TestCoordinator c = start()) { // the clock starts at 2026-11-24T10:00:00Z
            DeskBeats m1 = DeskBeats.enroll(c, "m1", "alice", "Europe/Berlin");
            DeskBeats m2 = DeskBeats.enroll(c, "m2", null, null);
            m1.present();
            c.clock.advance(Duration.ofHours(1));
            m1.away(Duration.ofMinutes(10)); // left at 10:50, said at 11:00
            m2.away(Duration.ofMinutes(30));
            c.clock.advance(Duration.ofHours(1));
            m1.present();
            m2.away();
            c.clock.advance(Duration.ofMinutes(30));
            m1.present(); // m1's open stretch runs to here (12:30)

            String since =
                    admin(c).get("/api/v1/history?since=2026-11-24T10:00:00Z").body();
            String zone = java.time.ZoneId.systemDefault().getId();
            assertThat(since).isEqualTo("""
                    # cyphon history v1
                    # origin 2026-11-24T10:00:00Z
                    # machine m1 cores=4 zone=Europe/Berlin
                    # machine m2 cores=4 zone=%s
                    m1\t0\t3000\tpresent
                    m1\t3000\t7200\taway
                    m1\t7200\t9000\tpresent
                    m2\t1800\t7200\taway
                    """.formatted(zone));

            // m2 falls silent for longer than the lease: off from its last beat until now.
            c.clock.advance(Duration.ofHours(3));
            m1.present();
            String one = admin(c).get("/api/v1/history?machine=m2").body();
            assertThat(one).isEqualTo("""
                    # cyphon history v1
                    # origin 2026-11-24T00:00:00Z
                    # machine m2 cores=4 zone=%s
                    m2\t37800\t43200\taway
                    m2\t43200\t55800\toff
                    """.formatted(zone));
        }
    }

    @Test
    void aSilenceLongerThanTheLeaseIsOffAndOldIntervalsAreDeletedAfterTheRetention() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(
                store,
                dir,
                cfg -> cfg.withLeases(Duration.ofSeconds(2), Duration.ofHours(2))
                        .withHistoryRetention(Duration.ofDays(30)))) {
            DeskBeats m1 = DeskBeats.enroll(c, "m1", null, "UTC");
            m1.present();
            c.clock.advance(Duration.ofHours(1));
            m1.present();
            c.clock.advance(Duration.ofHours(5)); // silent: off from 11:00
            m1.away(Duration.ofHours(
                    10)); // left before the silence: away from when it was seen again... at the earliest the off start
            c.clock.advance(Duration.ofHours(1));
            m1.present();
            assertThat(admin(c).get("/api/v1/history?since=2026-11-24").body()).isEqualTo("""
                    # cyphon history v1
                    # origin 2026-11-24T00:00:00Z
                    # machine m1 cores=4 zone=UTC
                    m1\t36000\t39600\tpresent
                    m1\t39600\t61200\taway
                    """);

            // 31 days later the intervals are past the retention (30 days here): the next beat deletes them.
            c.clock.advance(Duration.ofDays(31));
            m1.present();
            c.clock.advance(Duration.ofHours(1));
            m1.present();
            String after = admin(c).get("/api/v1/history?since=2026-11-24").body();
            assertThat(after).doesNotContain("\t36000\t").doesNotContain("\taway");
            assertThat(after).contains("\toff"); // the silence of 31 days, closed by the beat
        }
    }

    @Test
    void onlyAnAdminExportsAndBadInputIsNamed() throws Exception {
        try (TestCoordinator c = start()) {
            DeskBeats.enroll(c, "m1", "alice", null).present();
            ApiClient alice = c.user("alice");
            assertThat(alice.get("/api/v1/history").status()).isEqualTo(403);
            ApiClient.Reply bad = admin(c).get("/api/v1/history?since=last%20tuesday");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.field()).isEqualTo("since");
            assertThat(admin(c).get("/api/v1/history?machine=nope").status()).isEqualTo(404);
            assertThat(admin(c).get("/api/v1/history?what=1").field()).isEqualTo("what");
        }
    }

    private static ApiClient admin(TestCoordinator c) {
        return c.admin();
    }
}
