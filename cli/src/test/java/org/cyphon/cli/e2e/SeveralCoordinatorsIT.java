package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three coordinators on one PostgreSQL, three agents that know all three, a thousand short jobs;
 * meanwhile the leader is killed (SIGKILL) five times and a follower once, at moments a seeded
 * random picks, each restarted afterwards. Nothing may be lost or done twice: every job completes,
 * each exactly once, its output whole; no attempt of a job runs while another runs, by the jobs'
 * own records (a start and an end line with the attempt and the time, appended to a shared file);
 * and after each kill of the leader the pool assigns work again within a lease (plus the lease
 * keeper's tick and one pass).
 */
class SeveralCoordinatorsIT {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int JOBS = 1000;
    private static final long SEED = 20261206L;

    @TempDir
    Path tmp;

    private record Kill(int atEnds, boolean leader) {}

    @Test
    void leaderKilledFiveTimesAndAFollowerOnceLosesNothingAndRunsNothingTwice() throws Exception {
        Path shared = JobPids.sharedDir();
        Path records = shared.resolve("records");
        Files.createFile(records);
        Files.setPosixFilePermissions(records, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        try (SeveralCoordinators pool = new SeveralCoordinators(tmp, 3, LEASE)) {
            pool.start(0); // first alone: it makes the data dir's tokens and keys the others read
            pool.start(1);
            pool.start(2);
            pool.awaitLeader(Duration.ofSeconds(30));
            for (int i = 0; i < 3; i++) pool.startAgent("a" + i, 2, i);

            String command = "echo \"start $CYPHON_JOB_ID $CYPHON_ATTEMPT $(date +%s%N)\" >> " + records
                    + "; sleep 0.1; echo \"end $CYPHON_JOB_ID $CYPHON_ATTEMPT $(date +%s%N)\" >> " + records
                    + "; echo ok-$CYPHON_JOB_ID";
            String body = "{\"command\":[\"sh\",\"-c\"," + TestPool.JSON.writeValueAsString(command)
                    + "],\"cpus\":0.25,\"count\":100}";
            for (int b = 0; b < JOBS / 100; b++) {
                var r = pool.post(b % 3, "/jobs", body);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }

            Random random = new Random(SEED);
            TreeSet<Integer> moments = new TreeSet<>();
            while (moments.size() < 6) moments.add(60 + random.nextInt(800));
            int followerKill = random.nextInt(6);
            List<Kill> plan = new ArrayList<>();
            int k = 0;
            for (int at : moments) plan.add(new Kill(at, k++ != followerKill));

            List<Long> dispatchGaps = new ArrayList<>();
            for (Kill kill : plan) {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> ends(records) >= kill.atEnds());
                int leader = pool.awaitLeader(Duration.ofSeconds(30));
                if (kill.leader()) {
                    long killedAt = System.currentTimeMillis();
                    pool.kill(leader);
                    int next = pool.awaitLeader(LEASE.multipliedBy(5));
                    assertThat(next).isNotEqualTo(leader);
                    long firstAssigned = await().atMost(LEASE.multipliedBy(5))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> firstAssignmentAfter(pool, killedAt), t -> t > 0);
                    dispatchGaps.add(firstAssigned - killedAt);
                    pool.start(leader);
                } else {
                    int follower = (leader + 1 + random.nextInt(2)) % 3;
                    pool.kill(follower);
                    pool.start(follower);
                }
            }

            try {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> states(pool).getOrDefault("completed", 0) == JOBS);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not every job completed: " + states(pool) + "\n" + pool.logs(), e);
            }

            Map<String, Integer> states = states(pool);
            assertThat(states).as("every job completed: none lost").isEqualTo(Map.of("completed", JOBS));
            checkRecords(Files.readAllLines(records), JOBS);
            for (JsonNode j : pool.get("/jobs?limit=100000").path("jobs")) {
                long id = j.path("id").asLong();
                assertThat(pool.getText((int) (id % 3), "/jobs/" + id + "/logs?stream=stdout"))
                        .as("job " + id + "'s output, whole and once")
                        .isEqualTo("ok-" + id + "\n");
            }
            System.out.println("several coordinators: kill -> first new assignment, ms: " + dispatchGaps);
            assertThat(dispatchGaps).hasSize(5);
            // The dead leader's lease runs out at most a lease after the kill; then the follower's next
            // tick (a tenth of a lease) and one pass, with 2 s for a loaded 2-core machine.
            assertThat(dispatchGaps)
                    .as("the pool assigns again within a lease of each leader kill (plus a tick and a pass)")
                    .allMatch(g -> g <= LEASE.toMillis() + 2000);

            // Leader state is exported, and the CLI moves past a coordinator that does not answer.
            int leader = pool.awaitLeader(Duration.ofSeconds(10));
            String leaderLine = pool.metrics(leader)
                    .lines()
                    .filter(l -> l.startsWith("cyphon_coordinator_leader{"))
                    .findFirst()
                    .orElse("none");
            assertThat(leaderLine).contains(pool.id(leader)).endsWith(" 1.0");
            var listing = CyphonProcess.run(
                    Map.of(
                            "CYPHON_URL",
                            "http://127.0.0.1:" + TestPool.freePort() + "," + pool.url(1) + "," + pool.url(2),
                            "CYPHON_TOKEN",
                            pool.adminToken(),
                            "XDG_CONFIG_HOME",
                            tmp.resolve("xdg").toString()),
                    "coordinators");
            assertThat(listing.exitCode()).as(listing.toString()).isZero();
            assertThat(listing.stdout()).contains(pool.id(0), pool.id(1), pool.id(2), "leader");
            assertThat(listing.stderr()).contains("leader " + pool.id(leader));
        }
    }

    private static long ends(Path records) throws java.io.IOException {
        try (var lines = Files.lines(records)) {
            return lines.filter(l -> l.startsWith("end ")).count();
        }
    }

    private static Map<String, Integer> states(SeveralCoordinators pool) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode j : pool.get("/jobs?limit=100000").path("jobs"))
            out.merge(j.path("state").asText(), 1, Integer::sum);
        return out;
    }

    /** The earliest attempt assigned after {@code t} (epoch ms), or 0 when none is yet. */
    private static long firstAssignmentAfter(SeveralCoordinators pool, long t) throws Exception {
        try (Connection c = pool.store().connect();
                PreparedStatement ps = c.prepareStatement("SELECT MIN(started_at) FROM (SELECT started_at FROM"
                        + " live_attempts UNION ALL SELECT started_at FROM attempts) a WHERE started_at > ?")) {
            ps.setLong(1, t);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * From the jobs' own lines: each job ended exactly once, every attempt that started ended, and
     * no two attempts of one job overlapped in time.
     */
    static void checkRecords(List<String> lines, int jobs) {
        record Run(long start, long end) {}
        Map<Long, Map<Integer, long[]>> byJob = new HashMap<>();
        for (String line : lines) {
            String[] f = line.trim().split(" ");
            assertThat(f).as("record line '" + line + "'").hasSize(4);
            long[] se = byJob.computeIfAbsent(Long.parseLong(f[1]), j -> new HashMap<>())
                    .computeIfAbsent(Integer.parseInt(f[2]), a -> new long[] {-1, -1});
            int slot = f[0].equals("start") ? 0 : 1;
            assertThat(se[slot])
                    .as("attempt " + f[2] + " of job " + f[1] + " " + f[0] + "ed once")
                    .isEqualTo(-1);
            se[slot] = Long.parseLong(f[3]);
        }
        assertThat(byJob).as("every job ran").hasSize(jobs);
        byJob.forEach((job, attempts) -> {
            List<Run> runs = new ArrayList<>();
            int ended = 0;
            for (var e : attempts.entrySet()) {
                long[] se = e.getValue();
                assertThat(se[0])
                        .as("job " + job + " attempt " + e.getKey() + " started")
                        .isPositive();
                assertThat(se[1])
                        .as("job " + job + " attempt " + e.getKey() + " ended")
                        .isPositive();
                runs.add(new Run(se[0], se[1]));
                ended++;
            }
            assertThat(ended).as("job " + job + " completed once").isEqualTo(1);
            runs.sort(java.util.Comparator.comparingLong(Run::start));
            for (int i = 1; i < runs.size(); i++)
                assertThat(runs.get(i).start())
                        .as("job " + job + ": an attempt started while another ran")
                        .isGreaterThan(runs.get(i - 1).end());
        });
    }
}
