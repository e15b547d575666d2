package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancel kills a whole tree, including grandchildren that ignore SIGTERM and one that left the session. */
class CancelKillsTreeIT {
    @TempDir
    Path tmp;

    @Test
    void cancelKillsEveryProcessOfTheJobEvenOnesIgnoringSigtermAndDetached() throws Exception {
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator().startAgent("a1", 2);
            Path shared = JobPids.sharedDir();
            Path pids = shared.resolve("pids");
            String script = """
                    trap '' TERM
                    sh -c 'trap "" TERM; sleep 1000 & echo $! >> %1$s; wait' &
                    echo $! >> %1$s
                    setsid sh -c 'trap "" TERM; sleep 1000 & echo $! >> %1$s; wait' &
                    echo $! >> %1$s
                    echo $$ >> %1$s
                    wait
                    """.formatted(pids);

            var submit = pool.cli("submit", "--", "sh", "-c", script);
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String id = submit.stdout().trim();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(pids) && Files.readAllLines(pids).size() == 5);
            List<Long> tree = JobPids.onHost(
                    id,
                    Files.readAllLines(pids).stream()
                            .map(String::trim)
                            .map(Long::parseLong)
                            .toList());
            assertThat(tree).as("the job's five processes, seen from the host").hasSize(5);
            assertThat(tree)
                    .allMatch(pid ->
                            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

            var cancel = pool.cli("cancel", id);
            assertThat(cancel.exitCode()).as(cancel.toString()).isZero();

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(tree)
                            .as("every process of the job is gone")
                            .noneMatch(pid -> ProcessHandle.of(pid)
                                    .map(ProcessHandle::isAlive)
                                    .orElse(false)));
            assertThat(pool.get("/jobs/" + id).path("state").asText()).isEqualTo("cancelled");
        }
    }
}
