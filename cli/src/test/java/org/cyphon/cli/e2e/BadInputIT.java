package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input through the real CLI and the real API of a coordinator process: named, refused, nothing stored. */
class BadInputIT {
    @TempDir
    Path tmp;

    @Test
    void badSubmissionsAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator();

            assertRefused(pool.cli("submit", "--cpus", "-1", "--", "true"), "cpus");
            assertRefused(pool.cli("submit", "--cpus", "100000", "--", "true"), "cpus");
            assertRefused(pool.cli("submit", "--memory", "12Q", "--", "true"), "memory");
            assertRefused(pool.cli("submit", "--memory", "999T", "--", "true"), "memory");
            assertRefused(pool.cli("submit", "--runtime", "forever", "--", "true"), "runtime");
            assertRefused(pool.cli("submit", "--env", "NOEQUALS", "--", "true"), "env");
            assertRefused(pool.cli("submit", "--"), "command");

            var unknown = pool.post("/jobs", "{\"command\":[\"true\"],\"colour\":\"red\"}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(TestPool.JSON.readTree(unknown.body()).path("field").asText())
                    .isEqualTo("colour");

            var malformed = pool.post("/jobs", "{\"command\":[\"true\"");
            assertThat(malformed.statusCode()).isEqualTo(400);

            var zeroCount = pool.post("/jobs", "{\"command\":[\"true\"],\"count\":0}");
            assertThat(zeroCount.statusCode()).isEqualTo(400);
            assertThat(TestPool.JSON.readTree(zeroCount.body()).path("field").asText())
                    .isEqualTo("count");

            var wrongType = pool.post("/jobs", "{\"command\":\"true\",\"cpus\":\"many\"}");
            assertThat(wrongType.statusCode()).isEqualTo(400);

            var huge = pool.post("/jobs", "{\"command\":[\"" + "x".repeat(2 << 20) + "\"]}");
            assertThat(huge.statusCode()).isEqualTo(413);

            assertThat(pool.jobs()).as("nothing was stored").isEmpty();
            assertThat(pool.coordinator().alive())
                    .as("the coordinator survived")
                    .isTrue();
            assertThat(pool.get("/jobs").path("jobs").size()).isZero();
        }
    }

    private static void assertRefused(CyphonProcess.Result r, String field) {
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stdout())
                .as("nothing on stdout when nothing was submitted")
                .isEmpty();
        assertThat(r.stderr()).as(r.toString()).contains(field);
    }
}
