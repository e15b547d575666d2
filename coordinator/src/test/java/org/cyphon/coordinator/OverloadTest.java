package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.cyphon.core.protocol.MachineList;
import org.cyphon.core.protocol.OverloadView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overload mode over the real API: admin only, bounded, visible, carried to the desks, ends by itself, kept across a restart. */
@OnEveryStore
class OverloadTest {
    private final TestStore store;

    OverloadTest(TestStore store) {
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
    void anAdminSwitchesItOnForABoundedTimeEveryoneSeesItTheDesksHearItAndItEndsByItself() throws Exception {
        TestAgent desk = c.agent("desk", 4);
        ApiClient alice = c.user("alice");
        assertThat(alice.get("/api/v1/overload").as(OverloadView.class).active())
                .isFalse();
        assertThat(desk.beat().overloadUntil()).isNull();

        assertThat(alice.post("/api/v1/overload", Map.of("until", "2h", "reason", "build server saturated"))
                        .status())
                .isEqualTo(403);
        OverloadView on = c.admin()
                .post("/api/v1/overload", Map.of("until", "2h", "reason", "build server saturated"))
                .as(OverloadView.class);
        Instant until = c.clock.instant().plus(Duration.ofHours(2));
        assertThat(on.active()).isTrue();
        assertThat(on.until()).isEqualTo(until);
        assertThat(on.by()).isEqualTo("admin");

        assertThat(desk.beat().overloadUntil()).isEqualTo(until);
        MachineList machines = alice.get("/api/v1/machines").as(MachineList.class);
        assertThat(machines.overload().active()).isTrue();
        assertThat(machines.overload().reason()).isEqualTo("build server saturated");

        c.restart(); // kept in the database
        assertThat(c.user("alice")
                        .get("/api/v1/overload")
                        .as(OverloadView.class)
                        .until())
                .isEqualTo(until);

        c.clock.advance(Duration.ofHours(2));
        assertThat(c.user("alice")
                        .get("/api/v1/overload")
                        .as(OverloadView.class)
                        .active())
                .as("ended by itself")
                .isFalse();
        assertThat(c.agent("desk2", 2).beat().overloadUntil()).isNull();
    }

    @Test
    void anAdminSwitchesItOffEarly() {
        c.admin().post("/api/v1/overload", Map.of("until", "1h", "reason", "batch deadline"));
        OverloadView off = c.admin().delete("/api/v1/overload").as(OverloadView.class);
        assertThat(off.active()).isFalse();
        assertThat(off.by()).isEqualTo("admin");
        assertThat(c.user("bob").get("/api/v1/overload").as(OverloadView.class).active())
                .isFalse();
    }

    @Test
    void itIsBoundedAndNeedsAReasonAndBadInputNamesTheField() {
        ApiClient admin = c.admin();
        ApiClient.Reply tooLong = admin.post("/api/v1/overload", Map.of("until", "3d", "reason", "x"));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.field()).isEqualTo("until");
        assertThat(tooLong.error()).contains("bounded");
        assertThat(admin.post("/api/v1/overload", Map.of("until", "2h")).field())
                .isEqualTo("reason");
        assertThat(admin.post("/api/v1/overload", Map.of("until", "yesterday", "reason", "x"))
                        .field())
                .isEqualTo("until");
        assertThat(admin.post("/api/v1/overload", Map.of("until", "2020-01-01T00:00:00Z", "reason", "x"))
                        .error())
                .contains("not in the future");
        assertThat(admin.post("/api/v1/overload", Map.of("until", "2h", "reason", "x", "extra", 1))
                        .status())
                .isEqualTo(400);
        assertThat(admin.get("/api/v1/overload").as(OverloadView.class).active())
                .as("nothing half-written")
                .isFalse();
    }
}
