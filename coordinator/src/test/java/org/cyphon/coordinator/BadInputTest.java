package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobSubmission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/**
 * Bad input is a 400 (or 413) naming the field, nothing is stored, and the coordinator goes on
 * serving. One coordinator for the whole class: every case must leave it as it found it.
 */
@OnEveryStore
class BadInputTest {
    /** Which store this run is on; the one coordinator of the run is started on it before the tests. */
    @Parameter
    TestStore store;

    @TempDir
    static Path dir;

    static TestCoordinator c;
    static ApiClient alice;

    @BeforeParameterizedClassInvocation
    static void start(TestStore store) throws Exception {
        c = TestCoordinator.start(store, dir.resolve(store.name()));
        alice = c.user("alice");
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        c.close();
    }

    /** Submits raw JSON and checks the reply is 400 naming the field, and that no job exists afterwards. */
    private static void refused(String json, String field, String... inMessage) {
        ApiClient.Reply r = alice.post("/api/v1/jobs", json);
        assertThat(r.status()).as(json + " -> " + r.body()).isEqualTo(400);
        assertThat(r.field()).as(json + " -> " + r.body()).isEqualTo(field);
        assertThat(r.error()).as(json).contains(field);
        for (String s : inMessage) assertThat(r.error()).as(json).contains(s);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at org.");
        assertThat(alice.get("/api/v1/jobs", JobList.class).jobs())
                .as("nothing stored after " + json)
                .isEmpty();
    }

    @Test
    void unknownFieldsAreNamed() {
        refused("{\"command\":[\"/bin/true\"],\"cpu\":2}", "cpu", "unknown");
        refused("{\"command\":[\"/bin/true\"],\"env\":{\"A\":\"b\"},\"extra\":{\"x\":1}}", "extra", "unknown");
    }

    @Test
    void negativeOrAbsurdResources() {
        refused("{\"command\":[\"/bin/true\"],\"cpus\":-1}", "cpus");
        refused("{\"command\":[\"/bin/true\"],\"cpus\":0}", "cpus");
        refused("{\"command\":[\"/bin/true\"],\"cpus\":1e9}", "cpus");
        refused("{\"command\":[\"/bin/true\"],\"memory\":\"-5G\"}", "memory");
        refused("{\"command\":[\"/bin/true\"],\"memory\":\"900T\"}", "memory");
        refused("{\"command\":[\"/bin/true\"],\"count\":0}", "count");
        refused("{\"command\":[\"/bin/true\"],\"count\":99999999999}", "count");
        refused("{\"command\":[\"/bin/true\"],\"priority\":1.5}", "priority");
        refused("{\"command\":[\"/bin/true\"],\"maxAttempts\":0}", "maxAttempts");
    }

    @Test
    void aBadDiskOrNetworkIsNamed() {
        refused("{\"command\":[\"/bin/true\"],\"disk\":\"lots\"}", "disk", "lots");
        refused("{\"command\":[\"/bin/true\"],\"disk\":\"100K\"}", "disk", "at least 1M");
        refused("{\"command\":[\"/bin/true\"],\"disk\":\"900T\"}", "disk", "at most 64T");
        refused("{\"command\":[\"/bin/true\"],\"network\":\"bridge\"}", "network", "host", "none");
    }

    @Test
    void unparsableSizesAndDurations() {
        refused("{\"command\":[\"/bin/true\"],\"memory\":\"lots\"}", "memory", "lots");
        refused("{\"command\":[\"/bin/true\"],\"runtime\":\"soon\"}", "runtime", "soon");
        refused("{\"command\":[\"/bin/true\"],\"cpus\":\"many\"}", "cpus");
    }

    @Test
    void emptyOrMalformedCommand() {
        refused("{\"command\":[]}", "command");
        refused("{\"name\":\"x\"}", "command");
        refused("{\"command\":\"/bin/true\"}", "command");
        refused("{\"command\":[\"\"]}", "command[0]");
        refused("{\"command\":[\"/bin/true\", null]}", "command[1]");
        refused("{\"command\":[\"/bin/true\"],\"env\":{\"CYPHON_X\":\"1\"}}", "env.CYPHON_X");
    }

    @Test
    void malformedJsonAndEmptyBodies() {
        refused("{\"command\":[\"/bin/true\"]", "body", "malformed");
        refused("{\"command\":[\"/bin/true\"]} trailing", "body");
        refused("not json at all", "body");
        refused("", "body");
        refused("null", "body");
        refused("[1,2]", "body");
        refused("{\"command\":[\"/bin/true\"],\"command\":[\"/bin/false\"]}", "body", "uplicate");
    }

    @Test
    void oversizedBodiesAre413WithOrWithoutALength() {
        byte[] big = new byte[(1 << 20) + 10];
        Arrays.fill(big, (byte) 'x');
        ApiClient.Reply declared = alice.postBytes("/api/v1/jobs", big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.field()).isEqualTo("body");
        ApiClient.Reply chunked = alice.postChunked("/api/v1/jobs", big);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(alice.get("/api/v1/jobs", JobList.class).jobs()).isEmpty();
    }

    @Test
    void anOversizedFieldWithinTheBodyLimitIs400() {
        String arg = "x".repeat(200_000);
        refused("{\"command\":[\"/bin/echo\",\"" + arg + "\"]}", "command[1]");
        List<String> bigCommand = new ArrayList<>(List.of("/bin/echo"));
        for (int i = 0; i < 7; i++) bigCommand.add("y".repeat(120_000));
        JobSubmission many = JobSubmission.builder()
                .command(bigCommand)
                .env(Map.of())
                .count(10_000)
                .build();
        ApiClient.Reply r = alice.post("/api/v1/jobs", many);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.field()).isEqualTo("count");
    }

    @Test
    void badPathsAndQueries() {
        assertThat(alice.get("/api/v1/jobs/abc").field()).isEqualTo("id");
        assertThat(alice.get("/api/v1/jobs/abc").status()).isEqualTo(400);
        assertThat(alice.get("/api/v1/jobs/-3").status()).isEqualTo(400);
        assertThat(alice.get("/api/v1/jobs/12345678901234567890").status()).isEqualTo(400);
        assertThat(alice.get("/api/v1/jobs/42").status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/jobs?state=runing").field()).isEqualTo("state");
        assertThat(alice.get("/api/v1/jobs?limit=0").field()).isEqualTo("limit");
        assertThat(alice.get("/api/v1/jobs?limit=100001").field()).isEqualTo("limit");
        assertThat(alice.get("/api/v1/jobs?colour=red").field()).isEqualTo("colour");
        assertThat(alice.get("/api/v1/machines/nope").status()).isEqualTo(404);
        // Refused by Jetty before any route: still a JSON error body.
        ApiClient.Reply bigHeader =
                alice.withHeader("X-Big", "a".repeat(20_000)).get("/api/v1/jobs");
        assertThat(bigHeader.status()).isEqualTo(431);
        assertThat(bigHeader.json().has("error")).isTrue();
        ApiClient.Reply nowhere = alice.get("/api/v1/nowhere");
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.json().has("error")).isTrue();
    }

    @Test
    void badAgentInputIsNamedToo() {
        TestAgent m1 = c.agent("m1", 2);
        ApiClient.Reply hb = m1.api.post(m1.path("/heartbeat"), "{\"cpus\":-2,\"memoryBytes\":1024}");
        assertThat(hb.status()).isEqualTo(400);
        assertThat(hb.field()).isEqualTo("cpus");
        ApiClient.Reply st = m1.api.post(
                m1.path("/heartbeat"),
                "{\"cpus\":2,\"memoryBytes\":1024,\"attempts\":[{\"jobId\":1,\"attempt\":1,\"fencingToken\":1,\"state\":\"dancing\"}]}");
        assertThat(st.status()).isEqualTo(400);
        assertThat(st.field()).isEqualTo("attempts[0].state");
        assertThat(st.json().path("error").asText())
                .isEqualTo("attempts[0].state: unknown attempt state 'dancing' (one of running, suspended)");
        ApiClient.Reply rep = m1.api.post(
                m1.path("/reports"),
                "{\"reports\":[{\"jobId\":1,\"attempt\":1,\"fencingToken\":1,\"outcome\":\"exploded\",\"cpuSeconds\":0}]}");
        assertThat(rep.status()).isEqualTo(400);
        assertThat(rep.field()).isEqualTo("reports[0].outcome");
        assertThat(rep.json().path("error").asText())
                .isEqualTo("reports[0].outcome: unknown attempt outcome 'exploded' (an agent reports one of exited,"
                        + " failed_to_start, killed, vacated; the coordinator records lost)");
        ApiClient.Reply lost = m1.api.post(
                m1.path("/reports"),
                "{\"reports\":[{\"jobId\":1,\"attempt\":1,\"fencingToken\":1,\"outcome\":\"lost\",\"cpuSeconds\":0}]}");
        assertThat(lost.status()).isEqualTo(400);
        assertThat(lost.json().path("error").asText())
                .isEqualTo("reports[0].outcome: must be one of exited, failed_to_start, killed, vacated; got lost");
        ApiClient.Reply none = m1.api.post(
                m1.path("/reports"),
                "{\"reports\":[{\"jobId\":1,\"attempt\":1,\"fencingToken\":1,\"outcome\":null,\"cpuSeconds\":0}]}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.field()).isEqualTo("reports[0].outcome");
        ApiClient.Reply unknown = m1.api.post(
                m1.path("/reports"),
                "{\"reports\":[{\"jobId\":1,\"attempt\":1,\"fencingToken\":1,\"outcome\":\"exited\",\"cpuSeconds\":0,\"colour\":1}]}");
        assertThat(unknown.field()).isEqualTo("reports[0].colour");
        assertThat(m1.api.get(m1.path("/work?waitMs=soon")).field()).isEqualTo("waitMs");
        ApiClient.Reply enroll = c.anonymous()
                .as(c.coordinator().enrollToken())
                .post("/api/v1/agents/enroll", "{\"name\":\"bad name\",\"cpus\":1,\"memoryBytes\":1}");
        assertThat(enroll.field()).isEqualTo("name");
        ApiClient.Reply out =
                m1.api.postBytes(m1.path("/attempts/1/output/stdlog?offset=0"), "x".getBytes(StandardCharsets.UTF_8));
        assertThat(out.field()).isEqualTo("stream");
    }
}
