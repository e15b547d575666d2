package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.cli.client.WireJson;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.TokenReply;
import org.cyphon.core.protocol.TokenRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cyphon away}, {@code back}, {@code machine}, {@code machines} and {@code history export}
 * against a real coordinator over real HTTP, on a clock the test moves, driven through {@link Main#run}.
 */
class TrackRecordCommandsTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private volatile Instant now = Instant.parse("2026-11-24T10:00:00Z");
    private Coordinator coordinator;
    private String alice;
    private String bob;
    private String agentToken;

    @BeforeEach
    void start() throws Exception {
        CoordinatorLogs.keepOutOfCapturedStreams();
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        // Beats an hour apart: a 2 h lease keeps the desk on between them.
        coordinator = Coordinator.start(
                CoordinatorConfig.defaults(dir).withPort(0).withLeases(Duration.ofSeconds(2), Duration.ofHours(2)),
                clock);
        alice = call("/api/v1/tokens", coordinator.adminToken(), new TokenRequest("alice", false), TokenReply.class)
                .token();
        bob = call("/api/v1/tokens", coordinator.adminToken(), new TokenRequest("bob", false), TokenReply.class)
                .token();
        agentToken = call(
                        "/api/v1/agents/enroll",
                        coordinator.enrollToken(),
                        new EnrollRequest("desk-07", 4, 8L << 30, "nice-only", null, "test", null, "alice", "UTC"),
                        EnrollReply.class)
                .agentToken();
    }

    @AfterEach
    void stop() {
        if (coordinator != null) coordinator.close();
    }

    @Test
    void theOwnerDeclaresTheirDeskAwayAndBackAndEveryoneSeesIt() throws Exception {
        beat("present", 0);
        now = now.plus(Duration.ofHours(1));
        beat("away", 600);

        CliRun away = cyphon(alice, "away", "--until", "3d", "--reason", "vacation");
        assertThat(away.exitCode()).as(away.err()).isZero();
        assertThat(away.out()).isEqualTo("desk-07: away until 2026-11-27T11:00:00Z (declared by alice: vacation)\n");

        CliRun machines = cyphon(bob, "machines");
        assertThat(machines.out()).contains("away 10m00s (away until 11-27)");

        CliRun machine = cyphon(bob, "machine", "desk-07", "--ascii");
        assertThat(machine.exitCode()).as(machine.err()).isZero();
        assertThat(machine.out())
                .contains("desk of:   alice\n")
                .contains("absence:   away until 2026-11-27T11:00:00Z (declared by alice: vacation)\n")
                .contains("presence by hour of week (UTC time;")
                .containsPattern("(?m)^Tue  .{24}$")
                .contains("now:       away since 2026-11-24T10:50:00Z")
                .containsPattern("forecast:  P\\(away >= 1h\\) \\d\\.\\d\\d");
        // The grid shows what was learned: Tuesday 10:00-10:50 present, the rest unseen.
        assertThat(machine.out()
                        .lines()
                        .filter(l -> l.startsWith("Tue  "))
                        .findFirst()
                        .orElseThrow())
                .matches("Tue {12}[-+#] {13}");
        CliRun json = cyphon(bob, "machine", "desk-07", "--json");
        assertThat(WireJson.MAPPER.readTree(json.out()).path("profile").path("presentProbability"))
                .hasSize(168);

        CliRun refused = cyphon(bob, "away", "desk-07", "--until", "1d");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("alice");
        CliRun bad = cyphon(alice, "away", "--until", "someday");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("until").contains("someday");
        CliRun noDesk = cyphon(bob, "back");
        assertThat(noDesk.exitCode()).isEqualTo(2);
        assertThat(noDesk.err()).contains("no desk belongs to bob");

        CliRun back = cyphon(alice, "back");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(back.out()).isEqualTo("desk-07: owner back\n");
        assertThat(cyphon(bob, "machines").out()).doesNotContain("away until");
    }

    @Test
    void historyExportWritesTheSimulatorsFormat() throws Exception {
        beat("present", 0);
        now = now.plus(Duration.ofHours(1));
        beat("away", 600);
        now = now.plus(Duration.ofHours(1));
        beat("present", 0);

        Path out = dir.resolve("office.history");
        CliRun r = cyphon(
                coordinator.adminToken(),
                "history",
                "export",
                "--since",
                "2026-11-24T10:00:00Z",
                "--out",
                out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("wrote 2 interval(s)");
        assertThat(Files.readString(out)).isEqualTo("""
                # cyphon history v1
                # origin 2026-11-24T10:00:00Z
                # machine desk-07 cores=4 zone=UTC
                desk-07\t0\t3000\tpresent
                desk-07\t3000\t7200\taway
                """);

        // What the coordinator saw is what the simulator replays: an office can replay itself.
        Path replay = dir.resolve("replay.json");
        CliRun simulated = CliRun.of(
                "simulate",
                "--owners",
                "history:" + out,
                "--saturate",
                "--policy",
                "desktop,strict",
                "--json",
                replay.toString());
        assertThat(simulated.exitCode()).as(simulated.err()).isZero();
        var policies = WireJson.MAPPER.readTree(replay.toFile()).path("policies");
        assertThat(policies).hasSize(2);
        assertThat(policies.get(0).path("harvestEfficiency").asDouble())
                .as("desktop harvests the replayed office")
                .isPositive();
        assertThat(policies.get(1).path("harvestEfficiency").asDouble())
                .as("strict waits out the 50 min the owner was there")
                .isLessThan(policies.get(0).path("harvestEfficiency").asDouble());

        CliRun stdout = cyphon(coordinator.adminToken(), "history", "export", "--machine", "desk-07");
        assertThat(stdout.out()).startsWith("# cyphon history v1\n# origin 2026-11-24T00:00:00Z\n");

        // An admin makes it bob's desk; then bob, not alice, may declare it.
        CliRun owner = cyphon(coordinator.adminToken(), "machine", "desk-07", "--set-owner", "bob", "--ascii");
        assertThat(owner.exitCode()).as(owner.err()).isZero();
        assertThat(owner.out()).contains("desk of:   bob\n");
        assertThat(cyphon(alice, "away", "desk-07", "--until", "1d").exitCode()).isEqualTo(1);
        assertThat(cyphon(bob, "away", "--until", "1d").exitCode()).isZero();
        assertThat(cyphon(alice, "machine", "desk-07", "--set-owner", "alice").exitCode())
                .isEqualTo(1); // admin only

        Path other = dir.resolve("not-written.history");
        CliRun refused = cyphon(alice, "history", "export", "--out", other.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(other).doesNotExist();
        CliRun badSince =
                cyphon(coordinator.adminToken(), "history", "export", "--since", "whenever", "--out", other.toString());
        assertThat(badSince.exitCode()).isEqualTo(1);
        assertThat(badSince.err()).contains("since");
        assertThat(other).doesNotExist();
    }

    private void beat(String owner, long idleSeconds) throws Exception {
        DeskView desk = new DeskView(
                owner, idleSeconds, false, !"present".equals(owner), "desktop", List.of("test"), List.of());
        call(
                "/api/v1/agents/desk-07/heartbeat",
                agentToken,
                new Heartbeat(4, 8L << 30, "nice-only", null, List.of(), null, desk),
                org.cyphon.core.protocol.HeartbeatReply.class);
    }

    private <T> T call(String path, String token, Object body, Class<T> type) throws Exception {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(coordinator.url() + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(WireJson.MAPPER.writeValueAsBytes(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode())
                .as(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return WireJson.MAPPER.readValue(r.body(), type);
    }

    private CliRun cyphon(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        int at = all.get(0).equals("history") ? 2 : 1;
        all.addAll(at, List.of("--url", coordinator.url(), "--token", token));
        return CliRun.of(all.toArray(String[]::new));
    }
}
