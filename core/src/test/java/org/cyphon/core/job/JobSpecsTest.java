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
        return JobSubmission.of(List.of(command));
    }

    /** A submission of the command {@code x}, to set one more field. */
    private static JobSubmission.Builder x() {
        return JobSubmission.builder().command(List.of("x"));
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
        return JobSubmission.builder()
                .command(List.of("run"))
                .disk(disk)
                .network(network)
                .build();
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
        var sub = JobSubmission.builder()
                .name("sweep")
                .command(List.of("run", "--seed={index}", "out-{index}.txt"))
                .cpus(0.5)
                .memory("1G")
                .runtime("2h")
                .priority(3)
                .env(Map.of("A", "b"))
                .count(3)
                .maxAttempts(2)
                .build();
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
        assertThat(errors(JobSubmission.builder().build()))
                .extracting(FieldError::field)
                .containsExactly("command");
        assertThat(errors(cmd(" "))).extracting(FieldError::field).containsExactly("command[0]");
        assertThat(errors(x().cpus(-1.0).build())).extracting(FieldError::field).containsExactly("cpus");
        assertThat(errors(x().cpus(0.0).build())).extracting(FieldError::field).containsExactly("cpus");
        assertThat(errors(x().cpus(1e9).build())).extracting(FieldError::field).containsExactly("cpus");
        assertThat(errors(x().memory("12Q").build()))
                .extracting(FieldError::field)
                .containsExactly("memory");
        assertThat(errors(x().memory("100P").build()))
                .extracting(FieldError::field)
                .containsExactly("memory");
        assertThat(errors(x().memory("10K").build()))
                .extracting(FieldError::field)
                .containsExactly("memory");
        assertThat(errors(x().runtime("forever").build()))
                .extracting(FieldError::field)
                .containsExactly("runtime");
        assertThat(errors(x().runtime("400d").build()))
                .extracting(FieldError::field)
                .containsExactly("runtime");
        assertThat(errors(x().count(0).build())).extracting(FieldError::field).containsExactly("count");
        assertThat(errors(x().count(100_001).build()))
                .extracting(FieldError::field)
                .containsExactly("count");
        assertThat(errors(JobSubmission.builder()
                        .name("bad name")
                        .command(List.of("x"))
                        .build()))
                .extracting(FieldError::field)
                .containsExactly("name");
        assertThat(errors(x().env(Map.of("1X", "v")).build()))
                .extracting(FieldError::field)
                .containsExactly("env");
        assertThat(errors(x().env(Map.of("CYPHON_JOB_ID", "v")).build()))
                .extracting(FieldError::field)
                .containsExactly("env.CYPHON_JOB_ID");
        assertThat(errors(x().priority(2_000_000).build()))
                .extracting(FieldError::field)
                .containsExactly("priority");
        assertThat(errors(x().maxAttempts(0).build()))
                .extracting(FieldError::field)
                .containsExactly("maxAttempts");
        assertThat(errors(cmd("a\0b"))).extracting(FieldError::field).containsExactly("command[0]");
    }

    private static JobSubmission checkpointing(String every, Integer exitCode) {
        return x().count(2).checkpointEvery(every).checkpointExitCode(exitCode).build();
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
        var sub = JobSubmission.builder()
                .command(List.of())
                .cpus(-2.0)
                .memory("lots")
                .runtime("soon")
                .count(-1)
                .build();
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
        return JobSubmission.builder()
                .command(List.of("train"))
                .count(2)
                .gpus(gpus)
                .build();
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
