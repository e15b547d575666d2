package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.cyphon.coordinator.files.FileSettings;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.protocol.BlobQuery;
import org.cyphon.core.protocol.BlobQueryReply;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.JobFiles;
import org.cyphon.core.protocol.JobOutputs;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.OutputFiles;
import org.cyphon.core.protocol.SharedPathList;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs' files through the real API and the real store: uploads in pieces that resume, checked by
 * their SHA-256 before they are kept, stored once and private to who sent them; inputs fetched by
 * the attempt's agent (from an offset); outputs recorded, listed, fetched by their owner only,
 * capped; and everything no job needs collected after the grace period.
 */
class FilesTest {
    @TempDir
    Path dir;

    TestCoordinator c;
    ApiClient alice;
    ApiClient bob;

    @BeforeEach
    void start() throws Exception {
        c = TestCoordinator.start(
                TestStore.H2,
                dir,
                cfg -> cfg.withFiles(new FileSettings(1 << 20, 64 << 10, Duration.ofHours(24), null)));
        alice = c.user("alice");
        bob = c.user("bob");
    }

    @AfterEach
    void stop() {
        c.close();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static BlobQueryReply query(ApiClient as, String sha, long size) {
        return as.post(
                "/api/v1/files/query", new BlobQuery(List.of(new BlobQuery.Blob(sha, size))), BlobQueryReply.class);
    }

    private static ApiClient.Reply put(ApiClient as, String sha, long size, long offset, byte[] piece) {
        return as.putBytes("/api/v1/files/" + sha + "?size=" + size + "&offset=" + offset, piece);
    }

    /** Uploads {@code content} whole as {@code as}. */
    static String upload(ApiClient as, byte[] content) throws Exception {
        String sha = sha(content);
        ApiClient.Reply r = put(as, sha, content.length, 0, content);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("complete").asBoolean()).isTrue();
        return sha;
    }

    private Path stored(String sha) {
        return c.dataDir
                .resolve("files")
                .resolve("blobs")
                .resolve(sha.substring(0, 2))
                .resolve(sha);
    }

    private long submit(ApiClient as, JobFiles files) {
        JobSubmission s = JobSubmission.of(List.of("/bin/true")).withFiles(files);
        return as.post("/api/v1/jobs", s, SubmitReply.class).ids().get(0);
    }

    private List<EventView> events(long id) {
        return alice.get("/api/v1/jobs/" + id + "/events", EventList.class).events();
    }

    @Test
    void anUploadCutHalfWayContinuesWhereItStoppedAndIsKeptWholeUnderItsHash() throws Exception {
        byte[] content = bytes(300_000, 1);
        String sha = sha(content);
        BlobQueryReply first = query(alice, sha, content.length);
        assertThat(first.missing())
                .singleElement()
                .satisfies(m -> assertThat(m.offset()).isZero());
        assertThat(first.maxInputBytes()).isEqualTo(1 << 20);

        ApiClient.Reply half = put(alice, sha, content.length, 0, java.util.Arrays.copyOf(content, 120_000));
        assertThat(half.status()).as(half.body()).isEqualTo(200);
        assertThat(half.json().path("received").asLong()).isEqualTo(120_000);
        assertThat(half.json().path("complete").asBoolean()).isFalse();
        assertThat(stored(sha))
                .as("nothing half-written under the content's name")
                .doesNotExist();

        assertThat(query(alice, sha, content.length).missing())
                .singleElement()
                .satisfies(m -> assertThat(m.offset()).isEqualTo(120_000));
        ApiClient.Reply wrong = put(alice, sha, content.length, 0, java.util.Arrays.copyOfRange(content, 0, 1000));
        assertThat(wrong.status()).isEqualTo(409);
        assertThat(wrong.error()).contains("continues at byte 120000");

        ApiClient.Reply rest = put(
                alice, sha, content.length, 120_000, java.util.Arrays.copyOfRange(content, 120_000, content.length));
        assertThat(rest.status()).as(rest.body()).isEqualTo(200);
        assertThat(rest.json().path("complete").asBoolean()).isTrue();
        assertThat(Files.readAllBytes(stored(sha))).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored(sha))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(stored(sha).getParent())))
                .isEqualTo("rwx------");
        assertThat(query(alice, sha, content.length).missing())
                .as("held now: nothing to send")
                .isEmpty();
        try (Stream<Path> parts = Files.list(c.dataDir.resolve("files").resolve("uploads"))) {
            assertThat(parts).as("no part left behind").isEmpty();
        }
    }

    @Test
    void bytesThatAreNotTheContentNamedAreRefusedAndNothingIsKept() throws Exception {
        byte[] content = bytes(50_000, 2);
        String sha = sha(content);
        byte[] other = content.clone();
        other[49_999] ^= 1;
        ApiClient.Reply r = put(alice, sha, content.length, 0, other);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).contains("have SHA-256 " + sha(other)).contains("nothing was kept");
        assertThat(stored(sha)).doesNotExist();
        assertThat(query(alice, sha, content.length).missing())
                .singleElement()
                .satisfies(m -> assertThat(m.offset()).as("starts again").isZero());

        ApiClient.Reply longer = put(alice, sha, 10, 0, content);
        assertThat(longer.status()).isEqualTo(400);
        assertThat(longer.error()).contains("runs past the 10-byte file");
    }

    @Test
    void anUploadOverTheLimitIsRefusedBeforeAnyByteAndSoIsASubmitNamingTooMuch() throws Exception {
        String big = "ab".repeat(32);
        ApiClient.Reply r = put(alice, big, 2 << 20, 0, new byte[10]);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.error()).contains("2M").contains("jobs.max_input_bytes of 1M");
        BlobQueryReply q = query(alice, big, 3 << 20);
        assertThat(q.maxInputBytes())
                .as("the query says the limit, so the client can say by how much")
                .isEqualTo(1 << 20);

        String a = upload(alice, bytes(600_000, 3));
        String b = upload(alice, bytes(600_000, 4));
        JobSubmission s = JobSubmission.of(List.of("/bin/true"))
                .withFiles(new JobFiles(
                        List.of(
                                JobFiles.Input.upload("a", a, 600_000, false),
                                JobFiles.Input.upload("b", b, 600_000, false)),
                        List.of(),
                        List.of()));
        ApiClient.Reply sub = alice.post("/api/v1/jobs", s);
        assertThat(sub.status()).isEqualTo(413);
        assertThat(sub.error()).contains("files.inputs").contains("jobs.max_input_bytes");
    }

    @Test
    void aContentIsStoredOnceButOnlyItsUploadersMayNameItOrLearnItIsThere() throws Exception {
        byte[] content = bytes(20_000, 5);
        String sha = upload(alice, content);
        assertThat(query(bob, sha, content.length).missing())
                .as("bob is not told alice's content is here")
                .singleElement()
                .satisfies(m -> assertThat(m.offset()).isZero());

        JobFiles naming = new JobFiles(
                List.of(JobFiles.Input.upload("data.bin", sha, content.length, false)), List.of(), List.of());
        JobSubmission s = JobSubmission.of(List.of("/bin/true")).withFiles(naming);
        ApiClient.Reply refused = bob.post("/api/v1/jobs", s);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.field()).isEqualTo("files.inputs[0].sha256");
        assertThat(refused.error()).contains("data.bin").contains("was not uploaded");

        upload(bob, content); // he has it: his upload proves it, and it is kept once
        assertThat(bob.post("/api/v1/jobs", s).status()).isEqualTo(201);
        try (Stream<Path> all = Files.walk(c.dataDir.resolve("files").resolve("blobs"))) {
            assertThat(all.filter(Files::isRegularFile)).hasSize(1);
        }
    }

    @Test
    void theAttemptsAgentFetchesItsInputsFromAnyOffsetAndNoOtherContent() throws Exception {
        TestAgent runs = c.agent("m1", 4);
        byte[] content = bytes(70_000, 6);
        String sha = upload(alice, content);
        String unrelated = upload(alice, bytes(10, 7));
        long id = submit(
                alice,
                new JobFiles(
                        List.of(JobFiles.Input.upload("in/data.bin", sha, content.length, true)),
                        List.of("out/*.csv"),
                        List.of()));
        assertThat(events(id)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("inputs");
            assertThat(e.message()).contains("in/data.bin 68.4K");
        });
        WorkAssignment w = runs.work(5000).get(0);
        TestAgent other = c.agent("m2", 4);
        assertThat(w.files().inputs()).singleElement().satisfies(in -> {
            assertThat(in.name()).isEqualTo("in/data.bin");
            assertThat(in.executable()).isTrue();
        });
        assertThat(w.files().outputs()).containsExactly("out/*.csv");
        assertThat(w.files().maxOutputBytes()).isEqualTo(64 << 10);

        String blob = "/attempts/" + w.fencingToken() + "/blobs/";
        ApiClient.Reply whole = runs.api.get(runs.path(blob + sha));
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.bytes()).isEqualTo(content);
        ApiClient.Reply rest = runs.api.withHeader("Range", "bytes=65536-").get(runs.path(blob + sha));
        assertThat(rest.status()).isEqualTo(206);
        assertThat(rest.header("Content-Range")).isEqualTo("bytes 65536-69999/70000");
        assertThat(rest.bytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 65_536, 70_000));
        assertThat(runs.api
                        .withHeader("Range", "bytes=70001-")
                        .get(runs.path(blob + sha))
                        .status())
                .isEqualTo(416);

        assertThat(runs.api.get(runs.path(blob + unrelated)).status())
                .as("a content that is not the job's")
                .isEqualTo(404);
        assertThat(other.api.get(other.path(blob + sha)).status())
                .as("another desk's token")
                .isEqualTo(409);
    }

    /** Plays the agent's end of a job: uploads each file's content, then records them all. */
    private static ApiClient.Reply leaveOutputs(TestAgent m, WorkAssignment w, String moment, Map<String, byte[]> files)
            throws Exception {
        String base = "/attempts/" + w.fencingToken();
        List<OutputFiles.File> list = new java.util.ArrayList<>();
        for (var e : files.entrySet()) {
            String sha = sha(e.getValue());
            ApiClient.Reply up = m.api.putBytes(
                    m.path(base + "/blobs/" + sha + "?size=" + e.getValue().length + "&offset=0"), e.getValue());
            if (up.status() != 200) return up;
            list.add(new OutputFiles.File(e.getKey(), sha, e.getValue().length));
        }
        return m.api.post(m.path(base + "/outputs"), new OutputFiles(list, moment));
    }

    @Test
    void outputsAreListedInTheEventsAndOnlyTheirOwnerOrAnAdminFetchesThem() throws Exception {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, new JobFiles(List.of(), List.of("out/"), List.of()));
        WorkAssignment w = m1.work(5000).get(0);
        byte[] csv = "a,b\n1,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] log = bytes(5000, 8);
        ApiClient.Reply stored = leaveOutputs(m1, w, "exit", Map.of("out/r.csv", csv, "out/deep/run.log", log));
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().path("files").asInt()).isEqualTo(2);
        m1.report(TestAgent.exited(w, 0));
        assertThat(events(id)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("outputs");
            assertThat(e.message()).contains("out/r.csv 8B").contains("out/deep/run.log 4.9K");
        });

        JobOutputs outs = alice.get("/api/v1/jobs/" + id + "/outputs", JobOutputs.class);
        assertThat(outs.files()).extracting(JobOutputs.File::name).containsExactly("out/deep/run.log", "out/r.csv");
        assertThat(outs.totalBytes()).isEqualTo(csv.length + log.length);
        String csvSha = sha(csv);
        assertThat(alice.get("/api/v1/jobs/" + id + "/outputs/" + csvSha).bytes())
                .isEqualTo(csv);
        assertThat(c.admin().get("/api/v1/jobs/" + id + "/outputs/" + csvSha).bytes())
                .isEqualTo(csv);

        // Bob, another user, gets 403 and nothing else: no name, no size, no byte.
        for (String path : List.of("/api/v1/jobs/" + id + "/outputs", "/api/v1/jobs/" + id + "/outputs/" + csvSha)) {
            ApiClient.Reply r = bob.get(path);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.body())
                    .doesNotContain("r.csv")
                    .doesNotContain("run.log")
                    .doesNotContain("a,b")
                    .doesNotContain(csvSha);
        }
        assertThat(bob.get("/api/v1/jobs/" + id + "/outputs/" + "00".repeat(32)).status())
                .isEqualTo(403);
        assertThat(alice.get("/api/v1/jobs/" + id + "/outputs/" + "00".repeat(32))
                        .status())
                .isEqualTo(404);
        assertThat(bob.get("/api/v1/jobs/" + id + "/events").body())
                .as("events are readable by all, and say what the job left")
                .contains("out/r.csv");
    }

    @Test
    void outputsPastTheLimitAreRefusedWholeAndTheJobsEventsSayWhy() throws Exception {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, new JobFiles(List.of(), List.of("*.bin"), List.of()));
        WorkAssignment w = m1.work(5000).get(0);
        assertThat(leaveOutputs(m1, w, "checkpoint", Map.of("a.bin", bytes(40_000, 9)))
                        .status())
                .isEqualTo(200);
        ApiClient.Reply over = leaveOutputs(m1, w, "exit", Map.of("b.bin", bytes(30_000, 10)));
        assertThat(over.status()).isEqualTo(413);
        assertThat(over.error()).contains("jobs.max_output_bytes of 64K");
        assertThat(events(id)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("outputs_refused");
            assertThat(e.message())
                    .contains("68.4K")
                    .contains("jobs.max_output_bytes of 64K")
                    .contains("b.bin");
        });
        JobOutputs outs = alice.get("/api/v1/jobs/" + id + "/outputs", JobOutputs.class);
        assertThat(outs.files()).extracting(JobOutputs.File::name).containsExactly("a.bin");
        assertThat(outs.refused()).contains("jobs.max_output_bytes");
        ApiClient.Reply single = m1.api.putBytes(
                m1.path("/attempts/" + w.fencingToken() + "/blobs/" + "cd".repeat(32) + "?size=" + (65 << 10)),
                new byte[1]);
        assertThat(single.status())
                .as("a file alone over the cap: before a byte")
                .isEqualTo(413);
    }

    @Test
    void aResumedAttemptGetsTheOutputsItsPredecessorStored() throws Exception {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, new JobFiles(List.of(), List.of("part-*"), List.of()));
        WorkAssignment w1 = m1.work(5000).get(0);
        assertThat(w1.files().restoreOutputs()).isFalse();
        assertThat(leaveOutputs(m1, w1, "checkpoint", Map.of("part-0", bytes(100, 11)))
                        .status())
                .isEqualTo(200);
        assertThat(m1.putCheckpoint(w1, "state".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
        m1.report(TestAgent.outcome(w1, AttemptOutcome.VACATED));
        c.periodicWork().runAll();
        WorkAssignment w2 = m1.work(5000).get(0);
        assertThat(w2.hasCheckpoint()).isTrue();
        assertThat(w2.files().restoreOutputs()).isTrue();
        JobOutputs outs = m1.api.get(m1.path("/attempts/" + w2.fencingToken() + "/outputs"), JobOutputs.class);
        assertThat(outs.files()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("part-0");
            assertThat(f.attempt()).isEqualTo(1);
        });
        assertThat(m1.api
                        .get(m1.path("/attempts/" + w2.fencingToken() + "/blobs/"
                                + outs.files().get(0).sha256()))
                        .status())
                .isEqualTo(200);
        assertThat(m1.api
                        .get(m1.path("/attempts/" + w1.fencingToken() + "/outputs"))
                        .status())
                .as("the vacated attempt's token is stale")
                .isEqualTo(409);
        assertThat(id).isPositive();
    }

    @Test
    void contentsNoJobNeedsAreCollectedAfterTheGraceAndTheOthersStay() throws Exception {
        TestAgent m1 = c.agent("m1", 4);
        String unsubmitted = upload(alice, bytes(1000, 12));
        String endedInput = upload(alice, bytes(1000, 13));
        long ended = submit(
                alice,
                new JobFiles(List.of(JobFiles.Input.upload("in", endedInput, 1000, false)), List.of("o"), List.of()));
        WorkAssignment w = m1.work(5000).get(0);
        byte[] outBytes = bytes(1000, 14);
        assertThat(leaveOutputs(m1, w, "exit", Map.of("o", outBytes)).status()).isEqualTo(200);
        String output = sha(outBytes);
        m1.report(TestAgent.exited(w, 0));
        String heldInput = upload(alice, bytes(1000, 15));
        long held = submit(
                alice,
                new JobFiles(List.of(JobFiles.Input.upload("in", heldInput, 1000, false)), List.of(), List.of()));
        assertThat(alice.post("/api/v1/jobs/" + held + "/hold", null).status()).isEqualTo(200);

        c.tick(Duration.ofHours(23));
        assertThat(stored(unsubmitted)).as("within the grace").exists();
        assertThat(stored(endedInput)).exists();
        c.tick(Duration.ofHours(2));
        assertThat(stored(unsubmitted)).as("never submitted").doesNotExist();
        assertThat(query(alice, unsubmitted, 1000).missing()).hasSize(1);
        assertThat(stored(endedInput)).as("its job has ended").doesNotExist();
        assertThat(stored(heldInput))
                .as("the input of a job that may still run")
                .exists();
        assertThat(stored(output)).as("outputs stay as long as their job").exists();
        assertThat(alice.get("/api/v1/jobs/" + ended + "/outputs/" + output).bytes())
                .isEqualTo(outBytes);
    }

    @Test
    void aJobNeedingASharedPathRunsOnlyWhereItIsMounted() throws Exception {
        TestAgent without = c.agent("plain", 8);
        TestAgent with = c.agent("nfs", 2);
        with.api.post(
                with.path("/heartbeat"),
                new org.cyphon.core.protocol.Heartbeat(
                        2,
                        64L << 30,
                        "nice-only",
                        null,
                        List.of(),
                        null,
                        null,
                        null,
                        Map.of("os", "linux"),
                        List.of("/srv/data"),
                        null,
                        null,
                        null,
                        null));
        assertThat(alice.get("/api/v1/files/shared", SharedPathList.class).paths())
                .containsExactly("/srv/data");
        long id = submit(
                alice,
                new JobFiles(
                        List.of(JobFiles.Input.link("big.dat", "/srv/data/big.dat", 5)),
                        List.of(),
                        List.of("/srv/data")));
        c.periodicWork().runAll();
        assertThat(without.work(200)).isEmpty();
        List<WorkAssignment> got = with.work(5000);
        assertThat(got).singleElement().satisfies(w -> {
            assertThat(w.jobId()).isEqualTo(id);
            assertThat(w.files().needsPaths()).containsExactly("/srv/data");
            assertThat(w.files().inputs().get(0).link()).isEqualTo("/srv/data/big.dat");
        });

        // Nobody has /srv/other mounted: the queue says so.
        long waiting = submit(alice, new JobFiles(List.of(), List.of(), List.of("/srv/other")));
        c.periodicWork().runAll();
        assertThat(alice.get("/api/v1/jobs?state=queued").body()).contains("/srv/other mounted");
        assertThat(waiting).isPositive();

        ApiClient.Reply link = alice.post(
                "/api/v1/jobs",
                JobSubmission.of(List.of("/bin/true"))
                        .withFiles(new JobFiles(
                                List.of(JobFiles.Input.link("x", "/etc/shadow", 1)), List.of(), List.of("/srv/data"))));
        assertThat(link.status()).isEqualTo(400);
        assertThat(link.error()).contains("/etc/shadow is not on a shared path the job needs");
    }
}
