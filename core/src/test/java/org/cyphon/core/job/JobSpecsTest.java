package org.cyphon.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.text.FieldError;
import org.junit.jupiter.api.Test;

class JobSpecsTest {
    private static JobSubmission cmd(String... command) {
        return new JobSubmission(null, List.of(command), null, null, null, null, null, null, null);
    }

    private static List<FieldError> errors(JobSubmission s) {
        JobSpecs.Result r = JobSpecs.validate(s);
        assertThat(r.specs()).as("no spec when there is an error").isEmpty();
        return r.errors();
    }

    @Test
    void defaultsFillAMinimalSubmission() {
        JobSpecs.Result r = JobSpecs.validate(cmd("/usr/bin/python3", "run.py"));
        assertThat(r.ok()).isTrue();
        JobSpec s = r.specs().get(0);
        assertThat(s.name()).isEqualTo("python3");
        assertThat(s.cpuMillis()).isEqualTo(1000);
        assertThat(s.memoryBytes()).isEqualTo(256L << 20);
        assertThat(s.runtime()).isNull();
        assertThat(s.maxAttempts()).isEqualTo(JobSpecs.DEFAULT_MAX_ATTEMPTS);
    }

    private static JobSubmission withDiskAndNetwork(String disk, String network) {
        return new JobSubmission(
                null,
                List.of("run"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                disk,
                network,
                null);
    }

    @Test
    void diskAndNetworkAreTakenAsAskedAndDefaultToNoneAndHost() {
        JobSpec asked =
                JobSpecs.validate(withDiskAndNetwork("50M", "none")).specs().get(0);
        assertThat(asked.diskBytes()).isEqualTo(50L << 20);
        assertThat(asked.network()).isEqualTo("none");
        JobSpec plain = JobSpecs.validate(cmd("run")).specs().get(0);
        assertThat(plain.diskBytes())
                .as("no --disk: the agent's default limit, no placement condition")
                .isNull();
        assertThat(plain.network()).isEqualTo("host");
    }

    @Test
    void aBadDiskOrNetworkIsNamed() {
        assertThat(errors(withDiskAndNetwork("lots", null)))
                .singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("disk"))
                .satisfies(e -> assertThat(e.error()).contains("'lots' is not a size"));
        assertThat(errors(withDiskAndNetwork("512K", null)))
                .singleElement()
                .satisfies(e -> assertThat(e.error()).contains("at least 1M"));
        assertThat(errors(withDiskAndNetwork(null, "bridge")))
                .singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("network"))
                .satisfies(e -> assertThat(e.error()).contains("'bridge' is not a network: host"));
    }

    @Test
    void countCreatesInstancesWithIndexSubstituted() {
        var sub = new JobSubmission(
                "sweep",
                List.of("run", "--seed={index}", "out-{index}.txt"),
                0.5,
                "1G",
                "2h",
                3,
                Map.of("A", "b"),
                3,
                2);
        JobSpecs.Result r = JobSpecs.validate(sub);
        assertThat(r.ok()).isTrue();
        assertThat(r.specs()).extracting(JobSpec::index).containsExactly(0, 1, 2);
        assertThat(r.specs().get(2).command()).containsExactly("run", "--seed=2", "out-2.txt");
        assertThat(r.specs().get(0).cpuMillis()).isEqualTo(500);
        assertThat(r.specs().get(0).memoryBytes()).isEqualTo(1L << 30);
        assertThat(r.specs().get(0).runtime()).isEqualTo(Duration.ofHours(2));
        assertThat(r.specs().get(0).env()).containsEntry("A", "b");
    }

    @Test
    void everyBadFieldIsNamed() {
        assertThat(errors(cmd())).extracting(FieldError::field).containsExactly("command");
        assertThat(errors(new JobSubmission(null, null, null, null, null, null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("command");
        assertThat(errors(cmd(" "))).extracting(FieldError::field).containsExactly("command[0]");
        assertThat(errors(new JobSubmission(null, List.of("x"), -1.0, null, null, null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("cpus");
        assertThat(errors(new JobSubmission(null, List.of("x"), 0.0, null, null, null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("cpus");
        assertThat(errors(new JobSubmission(null, List.of("x"), 1e9, null, null, null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("cpus");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, "12Q", null, null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("memory");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, "100P", null, null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("memory");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, "10K", null, null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("memory");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, null, "forever", null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("runtime");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, null, "400d", null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("runtime");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, null, null, null, null, 0, null)))
                .extracting(FieldError::field)
                .containsExactly("count");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, null, null, null, null, 100_001, null)))
                .extracting(FieldError::field)
                .containsExactly("count");
        assertThat(errors(new JobSubmission("bad name", List.of("x"), null, null, null, null, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("name");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, null, null, null, Map.of("1X", "v"), null, null)))
                .extracting(FieldError::field)
                .containsExactly("env");
        assertThat(errors(new JobSubmission(
                        null, List.of("x"), null, null, null, null, Map.of("CYPHON_JOB_ID", "v"), null, null)))
                .extracting(FieldError::field)
                .containsExactly("env.CYPHON_JOB_ID");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, null, null, 2_000_000, null, null, null)))
                .extracting(FieldError::field)
                .containsExactly("priority");
        assertThat(errors(new JobSubmission(null, List.of("x"), null, null, null, null, null, null, 0)))
                .extracting(FieldError::field)
                .containsExactly("maxAttempts");
        assertThat(errors(cmd("a\0b"))).extracting(FieldError::field).containsExactly("command[0]");
    }

    private static JobSubmission checkpointing(String every, Integer exitCode) {
        return new JobSubmission(null, List.of("x"), null, null, null, null, null, 2, null, every, exitCode);
    }

    @Test
    void checkpointSettingsReachEveryInstance() {
        JobSpecs.Result r = JobSpecs.validate(checkpointing("30m", 42));
        assertThat(r.ok()).isTrue();
        assertThat(r.specs()).extracting(JobSpec::checkpointEvery).containsOnly(Duration.ofMinutes(30));
        assertThat(r.specs()).extracting(JobSpec::checkpointExitCode).containsOnly(42);
    }

    @Test
    void withoutCheckpointSettingsThereAreNoPeriodicRequestsAndTheDefaultExitCode() {
        JobSpec s = JobSpecs.validate(cmd("x")).specs().get(0);
        assertThat(s.checkpointEvery()).isNull();
        assertThat(s.checkpointExitCode()).isEqualTo(JobSpecs.DEFAULT_CHECKPOINT_EXIT_CODE);
    }

    @Test
    void badCheckpointSettingsAreNamed() {
        assertThat(errors(checkpointing("30s", null))).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("checkpointEvery");
            assertThat(e.error()).contains("at least 1m");
        });
        assertThat(errors(checkpointing("often", null)))
                .extracting(FieldError::field)
                .containsExactly("checkpointEvery");
        assertThat(errors(checkpointing(null, 0))).extracting(FieldError::field).containsExactly("checkpointExitCode");
        // 128 + N is how the agent sees death by signal N: such a code could never be recognised.
        assertThat(errors(checkpointing(null, 137)))
                .extracting(FieldError::field)
                .containsExactly("checkpointExitCode");
        assertThat(errors(checkpointing(null, 126)))
                .extracting(FieldError::field)
                .containsExactly("checkpointExitCode");
        assertThat(JobSpecs.validate(checkpointing("1m", 125)).ok()).isTrue();
    }

    @Test
    void severalErrorsAreAllReported() {
        var sub = new JobSubmission(null, List.of(), -2.0, "lots", "soon", null, null, -1, null);
        assertThat(errors(sub))
                .extracting(FieldError::field)
                .containsExactly("command", "cpus", "memory", "runtime", "count");
    }

    @Test
    void defaultNamesAreValidNames() {
        assertThat(JobSpecs.defaultName("/usr/bin/python3")).isEqualTo("python3");
        assertThat(JobSpecs.defaultName("./my script.sh")).isEqualTo("my_script.sh");
        assertThat(JobSpecs.defaultName(".hidden")).isEqualTo("job.hidden");
    }

    private static JobSubmission withGpus(Integer gpus) {
        return new JobSubmission(
                null,
                List.of("train"),
                null,
                null,
                null,
                null,
                null,
                2,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                gpus);
    }

    @Test
    void gpusReachEveryInstanceAndBadCountsAreNamed() {
        assertThat(JobSpecs.validate(withGpus(2)).specs())
                .extracting(JobSpec::gpus)
                .containsExactly(2, 2);
        assertThat(JobSpecs.validate(withGpus(null)).specs())
                .extracting(JobSpec::gpus)
                .containsExactly(0, 0);
        assertThat(errors(withGpus(-1))).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("gpus");
            assertThat(e.error()).contains("between 0 and " + JobSpecs.MAX_GPUS).contains("-1");
        });
        assertThat(errors(withGpus(JobSpecs.MAX_GPUS + 1)))
                .extracting(FieldError::field)
                .containsExactly("gpus");
    }
}
