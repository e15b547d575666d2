package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels end to end: a real agent reports os and arch and its agent.toml's [labels]; {@code cyphon
 * submit --require} runs only where they match; a job no machine can take waits and {@code cyphon q}
 * says why, until an admin labels a machine with {@code cyphon label}.
 */
class LabelsIT {
    @TempDir
    Path tmp;

    @Test
    void requirementsMatchAgentAndAdminLabelsAndAnUnmatchedJobSaysWhyItWaits() throws Exception {
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator()
                    .startAgent("desk", 2, "[policy]\npreset = \"dedicated\"\n[labels]\nroom = \"b12\"\n");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> pool.get("/machines/desk")
                            .path("labels")
                            .path("room")
                            .asText()
                            .equals("b12"));
            assertThat(pool.get("/machines/desk").path("labels").path("os").asText())
                    .isEqualTo("linux");

            var ok = pool.cli("submit", "--require", "room=b12", "--require", "os=linux", "--", "echo", "hi");
            assertThat(ok.exitCode()).as(ok.toString()).isZero();
            assertThat(pool.cli("wait", ok.stdout().trim(), "--timeout", "1m").exitCode())
                    .isZero();

            var waiting = pool.cli("submit", "--require", "gpu=nvidia", "--", "echo", "gpu");
            String id = waiting.stdout().trim();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.cli("q").stdout().contains("no online machine carries gpu=nvidia"));
            assertThat(pool.get("/jobs/" + id).path("state").asText()).isEqualTo("queued");

            var label = pool.cli("label", "desk", "gpu=nvidia");
            assertThat(label.exitCode()).as(label.toString()).isZero();
            assertThat(label.stdout()).contains("gpu=nvidia").contains("room=b12");
            assertThat(pool.cli("wait", id, "--timeout", "1m").exitCode()).isZero();
            assertThat(pool.cli("machines").stdout()).contains("LABELS").contains("gpu=nvidia");

            var bad = pool.cli("submit", "--require", "gpu", "--", "echo", "x");
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.stderr()).contains("--require").contains("gpu");
        }
    }
}
