package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.cli.client.WireJson;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTCondor submit files, dependencies and big-queue commands through {@link Main#run} against a
 * real coordinator over real HTTP. No agent runs, so jobs stay queued or waiting.
 */
class QueueCommandsEndToEndTest {
    @TempDir
    Path dir;

    Coordinator coordinator;

    @BeforeEach
    void start() throws Exception {
        CoordinatorLogs.keepOutOfCapturedStreams();
        coordinator = Coordinator.start(
                CoordinatorConfig.defaults(dir.resolve("data")).withPort(0));
    }

    @AfterEach
    void stop() {
        coordinator.close();
    }

    private CliRun cyphon(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--url", coordinator.url().toString(), "--token", coordinator.adminToken()));
        return CliRun.of(all.toArray(String[]::new));
    }

    private JobList jobs(String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("q", "--json", "--all"));
        args.addAll(List.of(filters));
        CliRun r = cyphon(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return WireJson.MAPPER.readValue(r.out(), JobList.class);
    }

    @Test
    void aSubmitFileBecomesOneClusterOfJobs() throws Exception {
        Path sub = dir.resolve("sweep.sub");
        Files.writeString(sub, """
                executable   = /bin/echo
                arguments    = "'cluster $(Cluster) job $(Process)' $(rate)"
                request_cpus = 2
                output       = sweep.$(Process).out
                queue rate in (0.1 0.2 0.3)
                """);
        CliRun r = cyphon("submit", sub.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(3);
        assertThat(r.err()).contains("cyphon logs ID");
        long cluster = Long.parseLong(r.outLines().get(0));
        List<JobView> jobs = jobs().jobs();
        assertThat(jobs).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JobView j = jobs.get(i);
            assertThat(j.submission().index()).isEqualTo(i);
            assertThat(j.needs().cpus()).isEqualTo(2.0);
            assertThat(j.submission().command())
                    .containsExactly("/bin/echo", "cluster " + cluster + " job " + i, "0." + (i + 1));
        }
    }

    @Test
    void aSubmitFileWithOneBadLineOrAMissingInputSubmitsNothing() throws Exception {
        Path bad = dir.resolve("bad.sub");
        Files.writeString(bad, "executable = /bin/true\nqueue 2\nnotify_user = me@example.org\nqueue\n");
        CliRun r = cyphon("submit", bad.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("bad.sub:3").contains("notify_user");

        Path transfer = dir.resolve("transfer.sub");
        Files.writeString(
                transfer, "executable = /bin/true\nqueue 2\ntransfer_input_files = in.csv\nrequest_gpus = 1\nqueue\n");
        r = cyphon("submit", transfer.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        // request_gpus is Cyphon's now (GPU jobs): what stops this file is the input it names and lacks.
        assertThat(r.err())
                .doesNotContain("request_gpus")
                .contains("transfer_input_files")
                .contains("in.csv: no such file or directory");
        assertThat(jobs().jobs()).isEmpty();
    }

    @Test
    void secretEnvAppliesToEveryJobOfASubmitFileAndOnlyItsOwnerSeesTheValue() throws Exception {
        Path sub = dir.resolve("keyed.sub");
        Files.writeString(sub, "executable = /bin/true\nqueue 2\n");
        CliRun r = cyphon("submit", "--secret-env", "API_KEY=k-9f3a", sub.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(2);
        for (String id : r.outLines()) {
            CliRun job = cyphon("job", "--json", id);
            assertThat(job.exitCode()).as(job.err()).isZero();
            JobView v = WireJson.MAPPER.treeToValue(
                    WireJson.MAPPER.readTree(job.out()).path("job"), JobView.class);
            assertThat(v.submission().secretEnv()).containsExactly(java.util.Map.entry("API_KEY", "k-9f3a"));
        }
        // Listings carry only the name.
        assertThat(cyphon("q", "--json").out()).contains("API_KEY").doesNotContain("k-9f3a");
        // Options a submit file sets itself are still refused, and the refusal names --secret-env as allowed.
        CliRun env = cyphon("submit", "--env", "A=1", sub.toString());
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.err()).contains("--env").contains("--secret-env");
    }

    @Test
    void afterMakesAJobWaitAndTheQueueSaysOnWhat() throws Exception {
        CliRun first = cyphon("submit", "--", "/bin/true");
        long id = Long.parseLong(first.outLines().get(0));
        CliRun second = cyphon("submit", "--after", Long.toString(id), "--", "/bin/echo", "next");
        assertThat(second.exitCode()).as(second.err()).isZero();

        CliRun q = cyphon("q");
        assertThat(q.out()).contains("waiting").contains("waiting on " + id);
        assertThat(q.err()).contains("1 waiting");

        CliRun unknown = cyphon("submit", "--after", "999999", "--", "/bin/true");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("no job 999999");
    }

    @Test
    void cancelByFilterIsOneRequestAndTheQueueSaysWhatItDidNotShow() throws Exception {
        assertThat(cyphon("submit", "--count", "25", "--name", "many", "--", "/bin/true")
                        .exitCode())
                .isZero();
        assertThat(cyphon("submit", "--name", "keep", "--", "/bin/true").exitCode())
                .isZero();

        CliRun q = cyphon("q", "--limit", "10");
        assertThat(q.err())
                .contains("26 jobs: 26 queued")
                .contains("16 not shown")
                .contains("--limit 26");

        CliRun held = cyphon("hold", "--name", "many");
        assertThat(held.exitCode()).as(held.err()).isZero();
        assertThat(held.out()).isEqualTo("25 held\n");
        CliRun cancelled = cyphon("cancel", "--state", "held");
        assertThat(cancelled.out()).isEqualTo("25 cancelled\n");
        assertThat(jobs("--name", "keep").jobs())
                .singleElement()
                .satisfies(j -> assertThat(j.state()).isEqualTo("queued"));

        CliRun both = cyphon("cancel", "--all-mine", "12");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
        CliRun neither = cyphon("cancel");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("--all-mine");
    }

    @Test
    void aDagIsSubmittedWholeInDependencyOrderAndACycleSubmitsNothing() throws Exception {
        Files.writeString(dir.resolve("prep.toml"), "command = [\"/bin/true\"]\nname = \"prep\"\n");
        Files.writeString(dir.resolve("sim.sub"), "executable = /bin/echo\narguments = $(Process)\nqueue 2\n");
        Path dag = dir.resolve("run.dag");
        Files.writeString(dag, "# a small pipeline\nJOB prep prep.toml\nJOB sim sim.sub\nPARENT prep CHILD sim\n");
        CliRun r = cyphon("dag", dag.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(3);
        assertThat(r.outLines().get(0)).startsWith("prep ");
        assertThat(r.outLines().get(1)).startsWith("sim ");
        long prep = Long.parseLong(r.outLines().get(0).split(" ")[1]);
        assertThat(jobs("--state", "waiting").jobs())
                .hasSize(2)
                .allSatisfy(j -> assertThat(j.progress().waitingOn()).containsExactly(prep));

        Path cyclic = dir.resolve("cyclic.dag");
        Files.writeString(cyclic, "JOB a prep.toml\nJOB b sim.sub\nPARENT a CHILD b\nPARENT b CHILD a\n");
        CliRun c = cyphon("dag", cyclic.toString());
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.err()).contains("cycle").contains("a runs after b runs after a");
        Path unknown = dir.resolve("retry.dag");
        Files.writeString(unknown, "JOB a prep.toml\nRETRY a 3\n");
        CliRun u = cyphon("dag", unknown.toString());
        assertThat(u.exitCode()).isEqualTo(2);
        assertThat(u.err()).contains("retry.dag:2").contains("RETRY");
        assertThat(jobs().jobs()).hasSize(3);
    }
}
