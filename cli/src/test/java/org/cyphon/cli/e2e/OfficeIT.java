package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool across machines: a coordinator and three desks on a LAN of network namespaces
 * ({@link Office}), every one a real {@code cyphon} process, an admin on a laptop, and a capture on
 * the office switch from before the first desk joined. The pool runs 300 jobs, loses a desk's
 * cable for longer than a lease, and loses its coordinator to kill -9; nothing submitted is lost
 * and nothing completes twice.
 */
@Tag("office")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficeIT {
    @TempDir
    static Path tmp;

    private Office office;
    private OfficeNetwork.Capture capture;
    private long startedAt;

    @BeforeAll
    void buildTheOffice() throws Exception {
        startedAt = System.nanoTime();
        office = Office.build(tmp);
        try {
            capture = office.network.capture(tmp.resolve("switch.pcap"));
            office.startCoordinator();
            for (int i = 1; i <= 3; i++) joinTimed("desk-" + i, 10 + i);
        } catch (Exception | Error e) {
            office.close();
            throw e;
        }
    }

    /**
     * Joins a desk with a join line over TLS and prints how long it took from starting the agent's
     * process to the agent saying it joined (enrolled) and to the coordinator holding its first
     * heartbeat, and what the admin's {@code join-token} and the desk's {@code agent join} took
     * before it: figures for the README, not a test (README "Performance", {@code office-join}).
     */
    private void joinTimed(String name, int octet) throws Exception {
        Desk desk = office.plugDesk(name, octet, 2);
        long t0 = System.nanoTime();
        Office.JoinTicket ticket = office.issueJoinTicket();
        long issued = System.nanoTime();
        desk.join(ticket);
        long enrolled = System.nanoTime();
        await().atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() ->
                        !office.get("/machines/" + name).path("lastHeartbeat").isMissingNode());
        long beat = System.nanoTime();
        long start = desk.agentStartedAt();
        System.out.printf(
                "office: %s joined in %d ms (agent process start -> enrolled %d ms, -> first heartbeat stored %d ms;"
                        + " before it: join-token on the laptop %d ms, agent join on the desk %d ms)%n",
                name,
                (beat - start) / 1_000_000,
                (enrolled - start) / 1_000_000,
                (beat - start) / 1_000_000,
                (issued - t0) / 1_000_000,
                (start - issued) / 1_000_000);
    }

    @AfterAll
    void takeTheOfficeDown() {
        if (office != null) office.close();
        System.out.printf("office: OfficeIT wall time %d s%n", (System.nanoTime() - startedAt) / 1_000_000_000);
    }

    @Test
    void threeHundredJobsACutCableAndACoordinatorKilledLoseNothingAndCompleteNothingTwice() throws Exception {
        Map<Long, String> submitted = new LinkedHashMap<>(); // id -> what it must print

        // 1. Three hundred short jobs across the three desks.
        for (long id : office.submit(job("echo ok-$CYPHON_JOB_ID", 0.25, 300))) submitted.put(id, "ok-" + id + "\n");
        awaitAllTerminal(submitted.keySet(), Duration.ofMinutes(3));
        Set<String> ranOn = new HashSet<>();
        for (JsonNode j : office.jobs()) ranOn.add(j.path("machine").asText());
        assertThat(ranOn).as("all three desks took work").contains("desk-1", "desk-2", "desk-3");

        // 2. desk-3's cable is cut while it runs jobs, for longer than a lease: its attempts are lost and
        // their jobs completed by the others; the jobs end on desk-3 meanwhile, and once the cable is back
        // its reports of them are refused (fencing).
        Desk cut = office.desk("desk-3");
        List<Long> batch = office.submit(job("sleep 2; echo ok-$CYPHON_JOB_ID", 1, 12));
        for (long id : batch) submitted.put(id, "ok-" + id + "\n");
        List<Long> onCutDesk = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    onCutDesk.clear();
                    office.get("/jobs?state=running&machine=desk-3")
                            .path("jobs")
                            .forEach(j -> onCutDesk.add(j.path("id").asLong()));
                    return !onCutDesk.isEmpty();
                });
        office.network.cut(cut.host);
        long cutAt = System.nanoTime();
        awaitAllTerminal(batch, Duration.ofMinutes(2));
        assertThat(Duration.ofNanos(System.nanoTime() - cutAt))
                .as("the cable stayed cut for longer than the lease")
                .isGreaterThan(Duration.ofSeconds(4));
        for (long id : onCutDesk) {
            JsonNode j = office.get("/jobs/" + id);
            assertThat(j.path("machine").asText())
                    .as("job %d, lost with desk-3, completed elsewhere", id)
                    .isNotEqualTo("desk-3");
            assertThat(outcomesOn(j, "desk-3"))
                    .as("job %d's attempts on desk-3", id)
                    .isNotEmpty()
                    .allMatch("lost"::equals);
        }
        office.network.heal(cut.host);
        for (long id : onCutDesk) {
            cut.agent().awaitLine("job " + id + " attempt \\d+: report not taken \\(stale", Duration.ofSeconds(60));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        office.get("/machines/desk-3").path("state").asText().equals("online"));

        // 3. The coordinator is killed (-9) with jobs queued, running and completed, and started again.
        List<Long> beforeCrash = office.submit(job("sleep 0.5; echo ok-$CYPHON_JOB_ID", 0.5, 60));
        for (long id : beforeCrash) submitted.put(id, "ok-" + id + "\n");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    var states = office.jobs().stream()
                            .filter(j -> beforeCrash.contains(j.path("id").asLong()))
                            .map(j -> j.path("state").asText())
                            .toList();
                    return states.contains("running") && states.contains("completed") && states.contains("queued");
                });
        office.crashCoordinator();
        office.startCoordinator();
        for (long id : office.submit(job("echo ok-$CYPHON_JOB_ID", 0.25, 20))) submitted.put(id, "ok-" + id + "\n");
        awaitAllTerminal(submitted.keySet(), Duration.ofMinutes(2));

        // Every job submitted is there, completed, by exactly one successful attempt, with its own output.
        Set<Long> stored = new HashSet<>();
        for (JsonNode j : office.jobs()) stored.add(j.path("id").asLong());
        assertThat(stored).as("the store holds every job submitted").containsAll(submitted.keySet());
        for (var e : submitted.entrySet()) {
            JsonNode j = office.get("/jobs/" + e.getKey());
            assertThat(j.path("state").asText()).as("job %d", e.getKey()).isEqualTo("completed");
            List<JsonNode> successes = new ArrayList<>();
            j.path("attempts").forEach(a -> {
                if (a.path("outcome").asText().equals("exited")) successes.add(a);
            });
            assertThat(successes)
                    .as("job %d's successful attempts: %s", e.getKey(), j.path("attempts"))
                    .hasSize(1);
            assertThat(successes.get(0).path("exitCode").asInt()).isZero();
            assertThat(office.getText("/jobs/" + e.getKey() + "/logs?stream=stdout"))
                    .as("job %d's output", e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    /**
     * What crosses the office switch: with {@link Office#TLS} (HTTPS, every client pinning the CA)
     * the bytes hold no token, no join secret and no job's command, though the capture saw all the
     * traffic that carried them (the admin's requests, three joins, every desk's heartbeats and
     * reports, the job's output). With TLS off the same check asserts it DOES see them in clear,
     * which is how it was shown able to see them.
     */
    @Test
    void theSwitchCarriesNoTokenSecretOrCommandInClear() throws Exception {
        String marker = "office-capture-" + UUID.randomUUID();
        List<Long> ids = office.submit(job("echo " + marker, 0.25, 1));
        awaitAllTerminal(ids, Duration.ofMinutes(1));
        assertThat(office.getText("/jobs/" + ids.get(0) + "/logs?stream=stdout"))
                .isEqualTo(marker + "\n");

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the admin's token", office.adminToken());
        for (String d : List.of("desk-1", "desk-2", "desk-3")) {
            secrets.put(d + "'s join secret", office.desk(d).ticket().secret());
            secrets.put(d + "'s agent token", office.desk(d).agentToken());
        }
        secrets.put("a job's command", marker);

        String wire = new String(capture.stop(office.laptop, office.server), StandardCharsets.ISO_8859_1);
        assertThat(wire.length()).as("the capture saw the office's traffic").isGreaterThan(10_000);
        for (var s : secrets.entrySet()) {
            if (Office.TLS) assertThat(wire).as(s.getKey() + " on the wire").doesNotContain(s.getValue());
            else
                assertThat(wire)
                        .as(s.getKey() + " in clear on the wire (plain HTTP: Office.TLS is false)")
                        .contains(s.getValue());
        }
    }

    private static String job(String shell, double cpus, int count) {
        return """
                {"command": ["sh", "-c", "%s"], "cpus": %s, "count": %d}
                """.formatted(shell, cpus, count);
    }

    private void awaitAllTerminal(java.util.Collection<Long> ids, Duration atMost) {
        Set<Long> want = new HashSet<>(ids);
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> office.jobs().stream()
                        .filter(j -> want.contains(j.path("id").asLong()))
                        .allMatch(j -> Set.of("completed", "failed", "cancelled")
                                .contains(j.path("state").asText())));
    }

    private static List<String> outcomesOn(JsonNode job, String machine) {
        List<String> out = new ArrayList<>();
        job.path("attempts").forEach(a -> {
            if (a.path("machine").asText().equals(machine))
                out.add(a.path("outcome").asText());
        });
        return out;
    }
}
