package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs' files end to end, with real processes and real files: a 1 GiB input and a 1 GiB output
 * through a coordinator, an agent and CLIs that each have a 64 MiB heap (so none of them can hold
 * the file), every transfer cut once half-way by a proxy and resumed (the bytes the proxy carried
 * say it was not sent again from the start); hundreds of small outputs of a job vacated half-way,
 * none lost; inputs on shared storage linked, not sent, and visible inside the job's walls; bad
 * input refused at submit, with no job made; another user's fetch refused.
 */
class FilesIT {
    static final long GIB = 1L << 30;
    static final Map<String, String> SMALL_HEAP = Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m");

    @TempDir
    Path tmp;

    /** {@code bytes} of data no two MiB of which are alike (so nothing compresses or dedups it away). */
    static Path bigFile(Path p, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        Random r = new Random(42);
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long done = 0; done < bytes; done += block.length) {
                r.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, bytes - done));
            }
        }
        return p;
    }

    private static JsonNode awaitState(TestPool pool, String id, String state, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> pool.get("/jobs/" + id).path("state").asText().equals(state));
        try {
            return pool.get("/jobs/" + id);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> events(TestPool pool, String id, String type) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode e : pool.get("/jobs/" + id + "/events").path("events"))
            if (e.path("type").asText().equals(type)) out.add(e.path("message").asText());
        return out;
    }

    @Test
    void aGigabyteGoesThereAndBackThroughSmallHeapsAndCutConnectionsAndArrivesWhole() throws Exception {
        Path big = bigFile(tmp.resolve("big.bin"), GIB);
        try (TestPool pool = new TestPool(tmp.resolve("pool")).withProcessEnv(SMALL_HEAP)) {
            pool.startCoordinator();
            try (CuttingProxy proxy = new CuttingProxy(pool.port)) {
                pool.withAgentUrl(proxy.url()).startAgent("desk", 2);
                Map<String, String> viaProxy = Map.of("CYPHON_URL", proxy.url());

                // Upload: cut once after 300 MiB, then resumed where the coordinator says it stopped.
                proxy.cutUpstreamAfter(300L << 20);
                proxy.cutDownstreamAfter(300L << 20); // the desk's download of it, once it is placed
                long up0 = proxy.upstream.get();
                long down0 = proxy.downstream.get(); // the desk starts its download before the CLI has exited
                var submit = CyphonProcess.runVia(
                        Duration.ofMinutes(8),
                        List.of(),
                        merged(pool.cliEnv(), viaProxy),
                        "submit",
                        "--input",
                        big.toString(),
                        "--output",
                        "big.bin",
                        "--",
                        "sh",
                        "-c",
                        // Jobs run at idle CPU and I/O priority: on a busy machine a job that reads
                        // its GiB again could take minutes. Appending makes a GiB of new content cheaply.
                        "echo x >> big.bin");
                assertThat(submit.exitCode()).as(submit + pool.logs()).isZero();
                long uploaded = proxy.upstream.get() - up0;
                assertThat(proxy.cutUpFired).as("the upload was cut").isTrue();
                assertThat(uploaded)
                        .as("resumed, not sent again: %d bytes carried for a 1 GiB file", uploaded)
                        .isBetween(GIB, GIB + (GIB / 10));
                assertThat(submit.stderr()).contains("sent 1G of input files");
                String id = submit.stdout().trim();

                // The desk's output upload: cut once too.
                proxy.cutUpstreamAfter(300L << 20);
                long up1 = proxy.upstream.get();
                JsonNode done = awaitState(pool, id, "completed", Duration.ofMinutes(8));
                assertThat(done.path("exitCode").asInt()).as(pool.logs()).isZero();
                assertThat(proxy.cutDownFired).as("the desk's download was cut").isTrue();
                long fetchedByDesk = proxy.downstream.get() - down0;
                long sentByDesk = proxy.upstream.get() - up1;
                assertThat(fetchedByDesk)
                        .as("the desk's download resumed: %d bytes", fetchedByDesk)
                        .isBetween(GIB, GIB + GIB / 10);
                assertThat(proxy.cutUpFired).as("the desk's upload was cut").isTrue();
                assertThat(sentByDesk)
                        .as("the desk's upload resumed: %d bytes", sentByDesk)
                        .isBetween(GIB, GIB + GIB / 10);
                assertThat(events(pool, id, "outputs"))
                        .singleElement()
                        .asString()
                        .contains("big.bin 1.0G");

                // Fetch: cut once more, resumed, checked.
                proxy.cutDownstreamAfter(300L << 20);
                long down2 = proxy.downstream.get();
                Path got = tmp.resolve("got");
                var fetch = CyphonProcess.runVia(
                        Duration.ofMinutes(8),
                        List.of(),
                        merged(pool.cliEnv(), viaProxy),
                        "fetch",
                        id,
                        "--to",
                        got.toString());
                assertThat(fetch.exitCode()).as(fetch + pool.logs()).isZero();
                assertThat(proxy.cutDownFired).isTrue();
                assertThat(proxy.downstream.get() - down2).isBetween(GIB, GIB + GIB / 10);
                Path copy = got.resolve("big.bin");
                assertThat(fetch.stdout().trim()).isEqualTo(copy.toString());
                assertThat(Files.size(copy)).isEqualTo(GIB + 2);
                assertThat(Files.readString(tail(copy, 2))).isEqualTo("x\n");
                assertThat(cmp(big, copy, GIB))
                        .as("the first GiB is the input, as the desk received it")
                        .isTrue();
                try (Stream<Path> left = Files.list(got)) {
                    assertThat(left).as("no part file left").containsExactly(copy);
                }
            }
            String log = pool.agent("desk").log() + pool.coordinator().log();
            assertThat(log).doesNotContain("OutOfMemoryError");
        }
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    private Path tail(Path file, int n) throws IOException {
        Path out = tmp.resolve("tail");
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            var buf = java.nio.ByteBuffer.allocate(n);
            ch.read(buf, ch.size() - n);
            Files.write(out, buf.array());
        }
        return out;
    }

    /** Whether the first {@code n} bytes of the two files are the same (cmp(1)). */
    private static boolean cmp(Path a, Path b, long n) throws Exception {
        Process p = new ProcessBuilder("cmp", "-n", Long.toString(n), a.toString(), b.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return p.exitValue() == 0;
    }

    /**
     * Writes part-000..part-299, one every 20 ms, each saying which attempt wrote it (and a line on
     * stdout at the 30th); on TERM saves how far it got and exits 85; resumes from there, reporting
     * how many parts it found back.
     */
    static final String PARTS = """
            d=$CYPHON_CHECKPOINT_DIR
            i=0
            mkdir -p out
            if [ -f "$d/state" ]; then read i < "$d/state"; echo "resumed at $i with $(ls out | wc -l) parts back" >&2; fi
            trap 'echo "$i" > "$d/state"; exit 85' TERM
            while [ "$i" -lt 300 ]; do
              echo "part $i by attempt $CYPHON_ATTEMPT" > out/part-$(printf %03d "$i")
              i=$((i + 1))
              [ "$i" = 30 ] && echo "progress: 30 parts"
              sleep 0.02
            done
            echo done
            """;

    @Test
    void hundredsOfSmallOutputsOfAJobVacatedHalfWayAreAllKeptAndOnlyItsOwnerFetchesThem() throws Exception {
        try (TestPool pool = new TestPool(tmp.resolve("pool"))) {
            pool.startCoordinator().startAgent("first", 2);
            var submit = pool.cli("submit", "--checkpoint-every", "1h", "--output", "out/", "--", "sh", "-c", PARTS);
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String id = submit.stdout().trim();
            awaitState(pool, id, "running", Duration.ofSeconds(60));
            // Half-way: the job has written parts (a busy desk may take seconds to let an idle-priority job start).
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> pool.getText("/jobs/" + id + "/logs?stream=stdout&attempt=1")
                            .contains("progress"));
            pool.agent("first").close(); // SIGTERM: the agent vacates the job, which checkpoints

            JsonNode queued = awaitState(pool, id, "queued", Duration.ofSeconds(60));
            assertThat(queued.path("attempts").get(0).path("outcome").asText()).isEqualTo("vacated");
            List<String> first = events(pool, id, "outputs");
            assertThat(first).as("the vacated attempt's parts are kept").isNotEmpty();
            assertThat(first.get(0)).contains("out/part-000");

            pool.startAgent("second", 2);
            var wait = pool.cli("wait", id, "--timeout", "3m");
            assertThat(wait.exitCode()).as(wait + pool.logs()).isZero();
            String stderr = pool.getText("/jobs/" + id + "/logs?stream=stderr");
            assertThat(stderr)
                    .as("the resumed attempt's stderr; the pool's logs:\n%s", pool.logs())
                    .matches("resumed at [1-9][0-9]* with [1-9][0-9]* parts back\n");
            int resumedAt = Integer.parseInt(stderr.split(" ")[2]);
            int partsBack = Integer.parseInt(stderr.split(" ")[4]);
            // Every part written before the vacate came back. The shell runs its TERM trap after the
            // command in progress, so a part being written when TERM came is kept too, one past the
            // count the trap saved (seen in a full run: "resumed at 68 with 69 parts back").
            assertThat(partsBack)
                    .as("every part written before the vacate came back: " + stderr)
                    .isBetween(resumedAt, resumedAt + 1);

            Path got = tmp.resolve("got");
            var fetch = pool.cli("fetch", id, "--to", got.toString());
            assertThat(fetch.exitCode()).as(fetch.toString()).isZero();
            assertThat(fetch.stdout().lines()).hasSize(300);
            for (int i = 0; i < 300; i++) {
                Path part = got.resolve("out").resolve(String.format("part-%03d", i));
                assertThat(Files.readString(part))
                        .isEqualTo("part " + i + " by attempt " + (i < resumedAt ? 1 : 2) + "\n");
            }
            var list = pool.cli("fetch", id, "--list");
            assertThat(list.stdout()).contains("out/part-000 20 1").contains("out/part-299 22 2");

            // Another user: refused, told nothing, nothing written.
            String bob = pool.cli("token", "create", "bob").stdout().trim();
            Path bobs = tmp.resolve("bob");
            var refused = pool.cliWith(Map.of("CYPHON_TOKEN", bob), "fetch", id, "--to", bobs.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("not yours").doesNotContain("part-");
            assertThat(refused.stdout()).isEmpty();
            assertThat(bobs).doesNotExist();
        }
    }

    @Test
    void anInputOnSharedStorageIsLinkedNotSentAndTheJobReadsItInsideItsWalls() throws Exception {
        Path shared = Path.of("/home/cyphon-files-it-" + ProcessHandle.current().pid());
        Files.createDirectories(shared);
        run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "cyphon-files-it", shared.toString());
        try (TestPool pool = new TestPool(tmp.resolve("pool"))) {
            Path data = Files.writeString(shared.resolve("data.txt"), "on the office server\n");
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-r--r--"));
            pool.startCoordinator()
                    .startAgent(
                            "desk",
                            2,
                            "[policy]\npreset = \"dedicated\"\n[storage]\nshared = [\"" + shared
                                    + "\", \"/srv/cyphon-files-it-unmounted\"]\n");
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            pool.get("/files/shared").path("paths").toString().contains(shared.toString()));
            assertThat(pool.get("/files/shared").path("paths").toString())
                    .as("declared but not mounted: not offered")
                    .doesNotContain("unmounted");

            var submit = pool.cli("submit", "--input", data.toString(), "--", "sh", "-c", "cat data.txt; ls /home");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            assertThat(submit.stderr()).doesNotContain("sent");
            String id = submit.stdout().trim();
            assertThat(pool.cli("wait", id, "--timeout", "1m").exitCode())
                    .as(pool.logs())
                    .isZero();
            String out = pool.getText("/jobs/" + id + "/logs?stream=stdout");
            assertThat(out).startsWith("on the office server\n");
            assertThat(out.lines().skip(1).toList())
                    .as("/home inside the walls shows the shared path and nothing else")
                    .containsExactly(shared.getFileName().toString());
            assertThat(events(pool, id, "inputs")).singleElement().asString().contains("data.txt -> " + data);

            var waiting = pool.cli("submit", "--needs-path", "/srv/cyphon-files-it-unmounted", "--", "true");
            String wid = waiting.stdout().trim();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> pool.cli("q").stdout().contains("/srv/cyphon-files-it-unmounted mounted"));
            assertThat(pool.get("/jobs/" + wid).path("state").asText()).isEqualTo("queued");
        } finally {
            run("umount", shared.toString());
            Files.deleteIfExists(shared);
        }
    }

    @Test
    void badInputFailsTheSubmitNotTheJobAndOutputsOverTheCapAreRefusedSayingWhy() throws Exception {
        try (TestPool pool = new TestPool(tmp.resolve("pool"))) {
            pool.startCoordinator("[jobs]\nmax_input_bytes = \"1M\"\nmax_output_bytes = \"64K\"\n")
                    .startAgent("desk", 2);
            Path big = bigFile(tmp.resolve("two-megs.bin"), 2 << 20);
            var over = pool.cli("submit", "--input", big.toString(), "--", "true");
            assertThat(over.exitCode()).isEqualTo(2);
            assertThat(over.stderr()).contains("2M in all, over the coordinator's jobs.max_input_bytes of 1M");
            var missing =
                    pool.cli("submit", "--input", tmp.resolve("nosuch.csv").toString(), "--", "true");
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.stderr()).contains("nosuch.csv: no such file or directory");
            var escaping = pool.cli("submit", "--output", "../../etc/passwd", "--", "true");
            assertThat(escaping.exitCode()).isEqualTo(2);
            assertThat(escaping.stderr()).contains("'..' segment");
            var absolute = pool.cli("submit", "--output", "/etc/passwd", "--", "true");
            assertThat(absolute.exitCode()).isEqualTo(2);
            assertThat(absolute.stderr()).contains("outside the job's working directory");
            assertThat(pool.jobs()).as("no job was made").isEmpty();

            var loud = pool.cli("submit", "--output", "*.bin", "--", "sh", "-c", "head -c 100000 /dev/zero > big.bin");
            String id = loud.stdout().trim();
            assertThat(pool.cli("wait", id, "--timeout", "1m").exitCode()).isZero();
            assertThat(events(pool, id, "outputs_refused"))
                    .singleElement()
                    .asString()
                    .contains("big.bin 97.7K")
                    .contains("jobs.max_output_bytes of 64K");
            var fetch = pool.cli("fetch", id, "--to", tmp.resolve("none").toString());
            assertThat(fetch.exitCode()).isZero();
            assertThat(fetch.stderr()).contains("not stored").contains("jobs.max_output_bytes");
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
