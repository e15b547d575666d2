package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walls a job asks for, end to end through the real CLI: a coordinator and two agents as
 * separate processes (root agents here, so jobs run in slot accounts inside their namespaces).
 * A {@code --disk 50M} job that writes 100M is stopped, and its events say why; a
 * {@code --network none} job cannot reach the coordinator's port on 127.0.0.1 while a
 * {@code --network host} job can; a desk with {@code max_jobs = 2} never has more than two live
 * attempts while the rest go to the other desk; {@code cyphon machine} lists the walls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WallsIT {
    @TempDir
    static Path tmp;

    private TestPool pool;

    @BeforeAll
    void startThePool() throws Exception {
        pool = new TestPool(tmp);
        try {
            pool.startCoordinator()
                    .startAgent("slotted", 4, "[policy]\npreset = \"dedicated\"\n[sandbox]\nmax_jobs = 2\n")
                    .startAgent("other", 2);
        } catch (Exception | Error e) {
            pool.close();
            throw e;
        }
    }

    @AfterAll
    void stopThePool() throws Exception {
        if (pool != null) pool.close();
    }

    private String submit(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("submit"));
        all.addAll(List.of(args));
        var r = pool.cli(all.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout().trim();
    }

    /** Waits for the jobs to end; the exit status is 0 only if each completed with exit code 0. */
    private int await(String... ids) throws Exception {
        List<String> args = new ArrayList<>(List.of("wait"));
        args.addAll(List.of(ids));
        args.addAll(List.of("--timeout", "5m"));
        var wait = pool.cli(args.toArray(String[]::new));
        assertThat(wait.stdout() + wait.stderr()).as(wait + pool.logs()).doesNotContain("timed out");
        return wait.exitCode();
    }

    @Test
    void aJobWritingPastItsDiskIsStoppedAndItsEventsSayWhy() throws Exception {
        String id = submit(
                "--disk",
                "50M",
                "--",
                "sh",
                "-c",
                "i=0; while [ $i -lt 100 ]; do head -c 1048576 /dev/zero > f$i; i=$((i + 1)); done; echo wrote; sleep 60");
        assertThat(await(id)).as("it did not complete").isEqualTo(1);

        JsonNode job = pool.get("/jobs/" + id);
        assertThat(job.path("diskBytes").asLong()).isEqualTo(50L << 20);
        // It ended, killed by the agent (no exit code): running it again would hit the same wall.
        assertThat(job.path("state").asText()).as(pool.logs()).isEqualTo("completed");
        assertThat(job.path("exitCode").isMissingNode()).isTrue();
        var shown = pool.cli("job", id);
        assertThat(shown.stdout())
                .contains("50M (stopped past it")
                .containsPattern("exited +.*killed by signal 9: stopped: its work directory holds 100M, over its disk"
                        + " limit 50M");
    }

    @Test
    void aNetworkNoneJobCannotReachTheCoordinatorsPortWhileAHostJobCan() throws Exception {
        String probe = "import socket\n"
                + "try:\n"
                + "    socket.create_connection(('127.0.0.1', " + pool.port + "), 5).close()\n"
                + "    print('reached')\n"
                + "except OSError as e:\n"
                + "    print('unreachable: ' + str(e))\n";
        String none = submit("--network", "none", "--", "python3", "-c", probe);
        String host = submit("--network", "host", "--", "python3", "-c", probe);
        assertThat(await(none, host)).isZero();

        assertThat(pool.getText("/jobs/" + none + "/logs?stream=stdout")).startsWith("unreachable: ");
        assertThat(pool.getText("/jobs/" + host + "/logs?stream=stdout")).isEqualTo("reached\n");
        assertThat(pool.cli("job", none).stdout()).contains("none (loopback only)");
        assertThat(pool.get("/jobs/" + host).path("network").asText()).isEqualTo("host");
    }

    @Test
    void aDeskWithMaxJobsTwoNeverHasMoreThanTwoAtOnceAndTheRestGoElsewhere() throws Exception {
        String ids = submit("-n", "24", "--cpus", "0.1", "--memory", "16M", "--name", "tiny", "--", "sleep", "1");
        assertThat(await(ids.lines().toArray(String[]::new))).isZero();

        List<Instant[]> onSlotted = new ArrayList<>();
        int elsewhere = 0;
        for (String id : ids.lines().toList()) {
            for (JsonNode a : pool.get("/jobs/" + id).path("attempts")) {
                if (!a.path("machine").asText().equals("slotted")) {
                    elsewhere++;
                    continue;
                }
                onSlotted.add(new Instant[] {
                    Instant.parse(a.path("startedAt").asText()),
                    Instant.parse(a.path("endedAt").asText())
                });
            }
        }
        assertThat(mostAtOnce(onSlotted))
                .as("live attempts at once on the desk with max_jobs 2")
                .isBetween(1, 2);
        assertThat(elsewhere).as("the other jobs ran on the other desk").isPositive();
    }

    /** The most intervals that overlap at any instant (an end at the same instant as a start does not overlap). */
    private static int mostAtOnce(List<Instant[]> intervals) {
        List<long[]> edges = new ArrayList<>();
        for (Instant[] i : intervals) {
            edges.add(new long[] {i[0].toEpochMilli(), 1});
            edges.add(new long[] {i[1].toEpochMilli(), -1});
        }
        edges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int now = 0;
        int most = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            most = Math.max(most, now);
        }
        return most;
    }

    @Test
    void theMachineViewListsEachWallAndWhetherItIsBuilt() throws Exception {
        var shown = pool.cli("machine", "slotted");
        assertThat(shown.exitCode()).as(shown.toString()).isZero();
        assertThat(shown.stdout())
                .contains("of at most 2 (max_jobs)")
                .contains("free for jobs' work directories")
                .contains("walls:")
                .containsPattern("namespaces +built: own mount, PID and IPC namespaces")
                .containsPattern("disk limit +built: ")
                .containsPattern("network none +built: own network namespace")
                .containsPattern("job accounts +built: slot accounts")
                .containsPattern("max jobs +built: at most 2 jobs at once")
                .containsPattern("pids.max +(built: 1024 processes|NOT BUILT: )");
    }
}
