package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.cyphon.coordinator.power.PowerSettings;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Desks that sleep (issue 14 §3): a desk's agent says it goes to sleep; the coordinator shows it
 * {@code asleep} (not offline, nothing lost), keeps its owner away in the track record, and wakes it
 * with a magic packet when queued work needs it, within {@code power.max_awake} an hour. The packets
 * go to a UDP socket of this test on 127.0.0.1 ({@code power.wake_broadcast}), never off the machine;
 * the broadcast itself on a LAN is OfficeIT's kind of test (cli SleepAndWakeIT).
 */
@OnEveryStore
class DesksThatSleepTest {
    @TempDir
    Path dir;

    private final TestStore store;

    DesksThatSleepTest(TestStore store) {
        this.store = store;
    }

    private static final String MAC_1 = "52:54:00:00:00:01";
    private static final String MAC_2 = "52:54:00:00:00:02";

    private DatagramSocket lan;

    @BeforeEach
    void listen() throws IOException {
        lan = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        lan.setSoTimeout(5000);
    }

    @AfterEach
    void close() {
        lan.close();
    }

    private TestCoordinator start(int maxAwake) throws Exception {
        PowerSettings power = new PowerSettings(
                maxAwake, lan.getLocalPort(), List.of("127.0.0.1"), Duration.ZERO, Duration.ofMinutes(5));
        return TestCoordinator.start(store, dir, c -> c.withPower(power));
    }

    /** The next magic packet on the test's socket, as the MAC it names (checked to be one). */
    private String nextPacket() throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[512], 512);
        lan.receive(p);
        String hex = HexFormat.of().formatHex(p.getData(), 0, p.getLength());
        assertThat(p.getLength()).isEqualTo(102);
        assertThat(hex).startsWith("ffffffffffff");
        String mac = hex.substring(12, 24);
        assertThat(hex.substring(12)).isEqualTo(mac.repeat(16));
        return mac.replaceAll("(..)(?!$)", "$1:");
    }

    /** Every packet that arrives within a short while (the coordinator sends each three times). */
    private List<String> packetsNow() throws IOException {
        List<String> out = new java.util.ArrayList<>();
        lan.setSoTimeout(300);
        try {
            while (true) out.add(nextPacket());
        } catch (SocketTimeoutException done) {
            return out;
        } finally {
            lan.setSoTimeout(5000);
        }
    }

    private static long submitFourCpus(ApiClient admin) {
        JobSubmission j =
                JobSubmission.builder().command(List.of("true")).cpus(4.0).build();
        return admin.post("/api/v1/jobs", j, SubmitReply.class).ids().get(0);
    }

    @Test
    void aSleepingDeskIsAsleepNotOfflineAndIsWokenForQueuedWork() throws Exception {
        try (TestCoordinator c = start(5)) {
            DeskBeats d1 = DeskBeats.enroll(c, "d1", "alice", "UTC");
            d1.away(Duration.ofHours(1));
            ApiClient.Reply slept = d1.sleep(MAC_1, "unknown", "10.9.9.255");
            assertThat(slept.status()).as(slept.body()).isEqualTo(200);
            assertThat(slept.json().path("wakeable").asBoolean()).isTrue();

            // Silent for far longer than a lease: asleep, not offline; nothing was sent yet.
            c.tick(Duration.ofMinutes(10));
            JsonNode m = c.admin().get("/api/v1/machines/d1").json();
            assertThat(m.path("state").asText()).isEqualTo("asleep");
            assertThat(m.at("/power/interfaces/0/mac").asText()).isEqualTo(MAC_1);
            assertThat(m.at("/power/how").asText()).isEqualTo("suspend");
            assertThat(packetsNow()).isEmpty();

            long job = submitFourCpus(c.admin());
            c.tick(Duration.ofSeconds(1));
            assertThat(packetsNow()).containsExactly(MAC_1, MAC_1, MAC_1);
            m = c.admin().get("/api/v1/machines/d1").json();
            assertThat(m.at("/power/wakeSentBy").asText()).isEqualTo("coordinator");
            assertThat(m.path("state").asText()).isEqualTo("asleep");

            // It wakes: its first beat makes it online, and the job is its.
            d1.away();
            c.tick(Duration.ofSeconds(1));
            assertThat(c.admin().get("/api/v1/machines/d1").json().path("state").asText())
                    .isEqualTo("online");
            List<WorkAssignment> got = TestAgent.workOf(c, d1.api, "d1", 5000);
            assertThat(got).extracting(WorkAssignment::jobId).containsExactly(job);
            assertThat(packetsNow()).isEmpty();

            // The track record: one stretch away, from when the owner left (an hour before the
            // sleep) through the 10 minutes asleep to the beat that woke it; never off.
            String history = c.admin().get("/api/v1/history?machine=d1").body();
            assertThat(history).doesNotContain("\toff");
            String[] away = history.lines()
                    .filter(l -> l.endsWith("\taway"))
                    .findFirst()
                    .orElseThrow()
                    .split("\t");
            assertThat(Long.parseLong(away[2]) - Long.parseLong(away[1])).isGreaterThanOrEqualTo(70 * 60);
        }
    }

    @Test
    void aDeskWithWorkOnItStaysAwake() throws Exception {
        try (TestCoordinator c = start(5)) {
            TestAgent a = c.agent("busy", 4);
            long job = TestCoordinator.submit(c.admin(), "true");
            c.tick(Duration.ofSeconds(1));
            assertThat(a.work(5000)).extracting(WorkAssignment::jobId).containsExactly(job);
            ApiClient.Reply r =
                    a.api.post(a.path("/sleep"), new org.cyphon.core.protocol.SleepNotice("suspend", List.of(), null));
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.error()).contains("holds 1 live attempt(s): it stays awake");
            assertThat(c.admin()
                            .get("/api/v1/machines/busy")
                            .json()
                            .path("state")
                            .asText())
                    .isEqualTo("online");

            ApiClient.Reply bad = a.api.post(a.path("/sleep"), """
                    {"how": "suspend", "interfaces": [{"name": "eth0", "mac": "ff:ff:ff:ff:ff:ff",
                     "wakeOnLan": "enabled", "broadcasts": []}]}""");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.field()).isEqualTo("interfaces[0].mac");
            assertThat(a.api.post(a.path("/sleep"), "{\"how\": \"nap\"}").field())
                    .isEqualTo("how");
        }
    }

    @Test
    void wakeUpsAreBudgetedPerHourAndAnUnansweredOneIsNotRepeated() throws Exception {
        try (TestCoordinator c = start(1)) {
            DeskBeats d1 = DeskBeats.enroll(c, "d1", null, "UTC");
            DeskBeats d2 = DeskBeats.enroll(c, "d2", null, "UTC");
            d1.away(Duration.ofHours(1));
            d2.away(Duration.ofHours(1));
            assertThat(d1.sleep(MAC_1, "enabled", null).status()).isEqualTo(200);
            assertThat(d2.sleep(MAC_2, "enabled", null).status()).isEqualTo(200);

            // Two jobs, one whole desk each: the budget buys one wake-up this hour.
            submitFourCpus(c.admin());
            submitFourCpus(c.admin());
            c.tick(Duration.ofSeconds(1));
            List<String> first = packetsNow();
            assertThat(first).hasSize(3).containsOnly(first.getFirst());
            String woken = first.getFirst();
            String other = woken.equals(MAC_1) ? MAC_2 : MAC_1;
            c.tick(Duration.ofMinutes(10));
            assertThat(packetsNow()).isEmpty();

            // The woken desk never answered (its card did not wake): after the hour, the budget goes
            // to the other desk, and the silent one is not woken for work again.
            c.tick(Duration.ofMinutes(51));
            assertThat(packetsNow()).containsExactly(other, other, other);
            String silent = woken.equals(MAC_1) ? "d1" : "d2";
            assertThat(c.admin()
                            .get("/api/v1/machines/" + silent)
                            .json()
                            .at("/power/unanswered")
                            .asBoolean())
                    .isTrue();
            c.tick(Duration.ofMinutes(61));
            assertThat(packetsNow()).isEmpty();
        }
    }

    @Test
    void anAdminWakesADeskThatReportedItsCards() throws Exception {
        try (TestCoordinator c = start(0)) {
            DeskBeats d1 = DeskBeats.enroll(c, "d1", null, "UTC");
            DeskBeats d2 = DeskBeats.enroll(c, "d2", null, "UTC");
            d1.away();
            d2.away();
            // Wake-on-LAN off on the card: the coordinator never wakes it for work, an admin may.
            assertThat(d1.sleep(MAC_1, "disabled", null).json().path("wakeable").asBoolean())
                    .isFalse();
            submitFourCpus(c.admin());
            c.tick(Duration.ofSeconds(1));
            assertThat(packetsNow()).isEmpty();

            JsonNode r = c.admin().post("/api/v1/machines/d1/wake", null).json();
            assertThat(r.path("state").asText()).isEqualTo("asleep");
            assertThat(r.path("sent").get(0).asText()).isEqualTo(MAC_1 + " to 127.0.0.1:" + lan.getLocalPort());
            assertThat(packetsNow()).containsExactly(MAC_1, MAC_1, MAC_1);
            assertThat(c.admin()
                            .get("/api/v1/machines/d1")
                            .json()
                            .at("/power/wakeSentBy")
                            .asText())
                    .isEqualTo("admin");

            ApiClient.Reply never = c.admin().post("/api/v1/machines/d2/wake", null);
            assertThat(never.status()).isEqualTo(409);
            assertThat(never.error()).contains("never reported its network cards");
            assertThat(c.admin().post("/api/v1/machines/nope/wake", null).status())
                    .isEqualTo(404);
            assertThat(c.user("bob").post("/api/v1/machines/d1/wake", null).status())
                    .isEqualTo(403);
        }
    }

    @Test
    void aJobWakesADeskOnlyAfterWaitingWakeAfterForAnAwakeOne() throws Exception {
        PowerSettings power = new PowerSettings(
                5, lan.getLocalPort(), List.of("127.0.0.1"), Duration.ofSeconds(30), Duration.ofMinutes(5));
        try (TestCoordinator c = TestCoordinator.start(store, dir, cfg -> cfg.withPower(power))) {
            DeskBeats d1 = DeskBeats.enroll(c, "d1", null, "UTC");
            d1.away(Duration.ofHours(1));
            assertThat(d1.sleep(MAC_1, "enabled", null).status()).isEqualTo(200);
            submitFourCpus(c.admin());
            c.tick(Duration.ofSeconds(1));
            c.tick(Duration.ofSeconds(20));
            assertThat(packetsNow()).as("an awake desk might still take it").isEmpty();
            c.tick(Duration.ofSeconds(10));
            assertThat(packetsNow()).containsExactly(MAC_1, MAC_1, MAC_1);
        }
    }

    @Test
    void aRestartKeepsTheDeskAsleep() throws Exception {
        try (TestCoordinator c = start(5)) {
            DeskBeats d1 = DeskBeats.enroll(c, "d1", null, "UTC");
            d1.away(Duration.ofHours(2));
            assertThat(d1.sleep(MAC_1, "enabled", "10.9.9.255").status()).isEqualTo(200);
            c.restart();
            c.tick(Duration.ofMinutes(30));
            assertThat(c.admin().get("/api/v1/machines/d1").json().path("state").asText())
                    .isEqualTo("asleep");
            submitFourCpus(c.admin());
            c.tick(Duration.ofSeconds(1));
            assertThat(packetsNow()).containsExactly(MAC_1, MAC_1, MAC_1);
        }
    }
}
