package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.coordinator.OnEveryStore;
import org.cyphon.coordinator.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator and two agents, each a separate process on loopback, run 200 jobs; every output is checked. */
@OnEveryStore
class PoolRunsJobsIT {
    private final TestStore store;

    PoolRunsJobsIT(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path tmp;

    @Test
    void twoHundredJobsOnTwoAgentsEachProduceExactlyTheirOwnOutput() throws Exception {
        try (TestPool pool = new TestPool(tmp, store)) {
            pool.startCoordinator().startAgent("a1", 2).startAgent("a2", 2);

            var submit = pool.cli(
                    "submit",
                    "-n",
                    "200",
                    "--cpus",
                    "0.25",
                    "--memory",
                    "64M",
                    "--name",
                    "echo",
                    "--",
                    "sh",
                    "-c",
                    "echo out-$CYPHON_INDEX-$CYPHON_JOB_ID-$CYPHON_ATTEMPT-$CYPHON_CPUS; echo err-$CYPHON_INDEX >&2");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            List<String> ids = submit.stdout().lines().toList();
            assertThat(ids)
                    .as("submit prints one id per line and nothing else")
                    .hasSize(200)
                    .allMatch(s -> s.matches("\\d+"));

            var wait = pool.cli("wait", "--all", "--timeout", "5m");
            assertThat(wait.exitCode()).as(wait + pool.logs()).isZero();

            Map<String, Integer> perMachine = new HashMap<>();
            Set<Integer> indexes = new HashSet<>();
            for (String id : ids) {
                JsonNode job = pool.get("/jobs/" + id);
                assertThat(job.path("state").asText()).as("job " + id).isEqualTo("completed");
                assertThat(job.path("exitCode").asInt(-1)).isZero();
                int index = job.path("index").asInt();
                indexes.add(index);
                String out = pool.getText("/jobs/" + id + "/logs?stream=stdout");
                assertThat(out).isEqualTo("out-" + index + "-" + id + "-1-0.25\n");
                assertThat(pool.getText("/jobs/" + id + "/logs?stream=stderr")).isEqualTo("err-" + index + "\n");
                perMachine.merge(job.path("machine").asText(), 1, Integer::sum);
            }
            assertThat(indexes).hasSize(200);
            assertThat(perMachine.keySet()).as("both agents ran jobs").containsExactlyInAnyOrder("a1", "a2");
        }
    }
}
