package org.cyphon.cli.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker on the office LAN ({@link OfficeAttacker}, a namespace of its own next to the
 * coordinator and two desks). Each test asserts what issue 11 requires: a stolen join secret, a
 * desk's name and a plain-HTTP relay each get the attacker nothing — no machine in the pool, no
 * job, no job's secret, no charge to anyone's fair share, no token. On main (one pool-wide
 * enrollment token that never expires, re-enrollment takes a name over, plain HTTP) all three fail:
 * join secrets (one machine each, names bound at first join) and TLS with a pinned CA are what
 * make them pass. Every failed expectation is listed (soft assertions), not only the first.
 */
@Tag("office")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficeAttackIT {
    @TempDir
    static Path tmp;

    private Office office;
    private OfficeAttacker attacker;

    @BeforeAll
    void buildTheOffice() throws Exception {
        office = Office.build(tmp);
        try {
            office.startCoordinator();
            office.joinDesk("desk-1", 11, 2);
            office.joinDesk("desk-2", 12, 2);
            attacker = new OfficeAttacker(office, "attacker", 66);
        } catch (Exception | Error e) {
            office.close();
            throw e;
        }
    }

    @AfterAll
    void takeTheOfficeDown() throws Exception {
        if (attacker != null) attacker.close();
        if (office != null) office.close();
    }

    /**
     * desk-1's join secret, read off its disk, used twice to enroll machines that advertise 64 CPUs
     * and a GPU while a user's GPU job with a secret in its environment waits for one.
     */
    @Test
    void aStolenJoinSecretUsedTwiceIsRefusedBothTimes() throws Exception {
        String apiKey = "office-key-" + UUID.randomUUID();
        long gpuJob = office.submit("""
                        {"command": ["sh", "-c", "echo trained"], "cpus": 1, "env": {"API_KEY": "%s"},
                         "requires": {"gpu": "nvidia"}}
                        """.formatted(apiKey)).get(0);
        Office.JoinTicket stolen = office.desk("desk-1").ticket();

        SoftAssertions softly = new SoftAssertions();
        for (int use = 1; use <= 2; use++) {
            String name = "intruder-" + use;
            OfficeAttacker.Reply enrolled = attacker.enroll(stolen.coordinator(), stolen.secret(), name, 64);
            softly.assertThat(enrolled.status())
                    .as("use %d of the stolen join secret is refused: %s", use, enrolled)
                    .isIn(401, 403);
            if (enrolled.status() == 200) {
                String work = workAsAnIntruder(stolen.coordinator(), name, enrolled.json());
                softly.assertThat(work).as("what %s was given", name).doesNotContain(apiKey);
            }
        }
        JsonNode machines = office.get("/machines").path("machines");
        List<String> names = new ArrayList<>();
        machines.forEach(m -> names.add(m.path("name").asText()));
        softly.assertThat(names).as("machines in the pool").doesNotContain("intruder-1", "intruder-2");
        JsonNode job = office.get("/jobs/" + gpuJob);
        softly.assertThat(job.path("state").asText())
                .as("the GPU job, which no real desk can run")
                .isEqualTo("queued");
        softly.assertThat(job.path("attempts")).as("its attempts").isEmpty();
        double charged = 0;
        for (JsonNode u : office.get("/users").path("users"))
            if (u.path("owner").asText().equals("admin"))
                charged = u.path("usageCpuSeconds").asDouble();
        softly.assertThat(charged).as("CPU-seconds charged to the job's owner").isLessThan(100);
        office.send("POST", "/jobs/" + gpuJob + "/cancel", office.adminToken(), null);
        softly.assertAll();
    }

    /**
     * What a fake desk does once in: says it has a GPU, takes whatever work comes, and reports it
     * done with an hour of CPU (the forged result and charge issue 11 describes). Returns the work
     * it was given.
     */
    private String workAsAnIntruder(URI coordinator, String name, JsonNode enrolled) throws Exception {
        String token = enrolled.path("agentToken").asText();
        attacker.send("POST", coordinator.resolve("/api/v1/agents/" + name + "/heartbeat"), token, """
                {"cpus": 64, "memoryBytes": 274877906944, "sandbox": "cgroup-v2", "attempts": [],
                 "labels": {"gpu": "nvidia"}}
                """);
        OfficeAttacker.Reply work =
                attacker.send("GET", coordinator.resolve("/api/v1/agents/" + name + "/work?waitMs=5000"), token, null);
        if (work.status() == 200) {
            for (JsonNode a : work.json().path("assignments")) {
                attacker.send("POST", coordinator.resolve("/api/v1/agents/" + name + "/reports"), token, """
                        {"reports": [{"jobId": %d, "attempt": %d, "fencingToken": %d, "outcome": "exited",
                                      "exitCode": 0, "cpuSeconds": 3600, "message": "done"}]}
                        """.formatted(
                                a.path("jobId").asLong(),
                                a.path("attempt").asInt(),
                                a.path("fencingToken").asLong()));
            }
        }
        return work.body();
    }

    /**
     * A fresh, valid join secret used to enroll under the name of desk-2 while desk-2 runs a job: the
     * name is bound to the machine that joined first.
     */
    @Test
    void enrollingUnderAnExistingDesksNameIsRefusedAndTheDeskKeepsItsWork() throws Exception {
        long job = office.submit("""
                        {"command": ["sleep", "120"], "cpus": 1, "requires": {"desk": "desk-2"}}
                        """).get(0);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> office.get("/jobs/" + job).path("state").asText().equals("running"));

        Instant attackedAt = Instant.now();
        Office.JoinTicket fresh = office.issueJoinTicket();
        OfficeAttacker.Reply takeover = attacker.enroll(fresh.coordinator(), fresh.secret(), "desk-2", 64);

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(takeover.status())
                .as("enrolling as desk-2 is refused: %s", takeover)
                .isBetween(400, 499);
        softly.assertThat(takeover.body()).as("the reply carries no token").doesNotContain("agentToken");
        JsonNode after = office.get("/jobs/" + job);
        softly.assertThat(after.path("state").asText())
                .as("desk-2's job after the attempt: %s", after.path("attempts"))
                .isEqualTo("running");
        softly.assertThat(after.path("attempts").size()).as("its attempts").isEqualTo(1);
        // The real desk-2 beats again after the attempt; only then does its log say whether its token still worked.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode beat = office.get("/machines/desk-2").path("lastHeartbeat");
            return !beat.isMissingNode() && Instant.parse(beat.asText()).isAfter(attackedAt);
        });
        softly.assertThat(office.desk("desk-2").agent().log())
                .as("desk-2's agent kept its token")
                .doesNotContain("no longer knows our token");
        office.send("POST", "/jobs/" + job + "/cancel", office.adminToken(), null);
        softly.assertAll();
    }

    /**
     * A new desk is handed the attacker's address instead of the coordinator's (a rewritten join
     * line, a poisoned DNS name), where a plain-HTTP relay passes everything on and records it. The
     * desk must not join through it, and the relay must learn no secret.
     */
    @Test
    void aPlainHttpManInTheMiddleLearnsNoSecret() throws Exception {
        Path recorded = tmp.resolve("mitm.log");
        URI relay = attacker.relay(Office.API_PORT, office.coordinatorUrl(), recorded);
        Office.JoinTicket ticket = office.issueJoinTicket();
        Desk victim = office.plugDesk("desk-4", 14, 1);
        CyphonProcess agent = victim.start(ticket.via(relay));
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !agent.alive() || agent.log().contains(" joined "));

        SoftAssertions softly = new SoftAssertions();
        boolean joined = agent.log().contains(" joined ");
        softly.assertThat(joined)
                .as("desk-4 joined through the plain-HTTP relay:\n%s", agent.log())
                .isFalse();
        String wire = Files.readString(recorded);
        softly.assertThat(wire).as("the relay's record holds the join secret").doesNotContain(ticket.secret());
        if (joined)
            softly.assertThat(wire)
                    .as("the relay's record holds desk-4's agent token")
                    .doesNotContain(victim.agentToken());
        softly.assertThat(office.send("GET", "/machines/desk-4", office.adminToken(), null)
                        .statusCode())
                .as("desk-4 is not a machine of the pool")
                .isEqualTo(404);
        victim.close();
        softly.assertAll();
    }
}
