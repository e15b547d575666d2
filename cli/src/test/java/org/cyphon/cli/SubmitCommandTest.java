package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.core.protocol.JobSubmission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How submit's flags and job files become the submission that is sent. */
class SubmitCommandTest {
    @TempDir
    Path dir;

    private static JobSubmission submission(String... args) {
        SubmitCommand cmd = new SubmitCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.submission();
    }

    @Test
    void flagsBuildTheSubmission() {
        JobSubmission s = submission(
                "-n",
                "4",
                "--cpus",
                "0.5",
                "--memory",
                "512M",
                "--runtime",
                "2h",
                "--priority",
                "-3",
                "--name",
                "sweep",
                "--env",
                "A=1",
                "--env",
                "B=x=y",
                "--max-attempts",
                "2",
                "--",
                "python3",
                "-c",
                "print({index})");

        assertThat(s)
                .isEqualTo(JobSubmission.builder()
                        .name("sweep")
                        .command(List.of("python3", "-c", "print({index})"))
                        .cpus(0.5)
                        .memory("512M")
                        .runtime("2h")
                        .priority(-3)
                        .env(Map.of("A", "1", "B", "x=y"))
                        .count(4)
                        .maxAttempts(2)
                        .build());
    }

    @Test
    void checkpointFlagsReachTheSubmission() {
        JobSubmission s =
                submission("--checkpoint-every", "30m", "--checkpoint-exit-code", "42", "--", "sim", "--resume");

        assertThat(s.checkpointEvery()).isEqualTo("30m");
        assertThat(s.checkpointExitCode()).isEqualTo(42);
        assertThat(s.command()).containsExactly("sim", "--resume");
        assertThatThrownBy(() -> submission("--checkpoint-every", "often", "--", "true"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("--checkpoint-every: 'often' is not a duration");
    }

    @Test
    void checkpointFlagsOverrideTheJobFile() throws Exception {
        Path file = dir.resolve("ckpt.toml");
        Files.writeString(file, """
                command = ["sim"]
                checkpoint_every = "1h"
                checkpoint_exit_code = 3
                """);

        assertThat(submission(file.toString()))
                .extracting(JobSubmission::checkpointEvery, JobSubmission::checkpointExitCode)
                .containsExactly("1h", 3);
        assertThat(submission("--checkpoint-every", "10m", file.toString()))
                .extracting(JobSubmission::checkpointEvery, JobSubmission::checkpointExitCode)
                .containsExactly("10m", 3);
    }

    @Test
    void withoutFlagsEverythingIsLeftToTheCoordinatorsDefaults() {
        assertThat(submission("sleep", "60")).isEqualTo(JobSubmission.of(List.of("sleep", "60")));
    }

    @Test
    void diskAndNetworkComeFromTheFileAndTheFlagsOverrideThem() throws Exception {
        Path file = dir.resolve("walled.toml");
        Files.writeString(file, "command = [\"sim\"]\ndisk = \"20G\"\nnetwork = \"none\"\n");

        JobSubmission fromFile = submission(file.toString());
        assertThat(fromFile.disk()).isEqualTo("20G");
        assertThat(fromFile.network()).isEqualTo("none");
        JobSubmission overridden = submission("--disk", "50M", "--network", "host", file.toString());
        assertThat(overridden.disk()).isEqualTo("50M");
        assertThat(overridden.network()).isEqualTo("host");

        assertThatThrownBy(() -> submission("--disk", "big", "--", "true"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("--disk: 'big' is not a size");
        assertThatThrownBy(() -> submission("--network", "bridge", "--", "true"))
                .hasMessageStartingWith("--network: 'bridge' is not a network: host");
        Path bad = dir.resolve("bad.toml");
        Files.writeString(bad, "command = [\"sim\"]\nnetwork = \"lan\"\n");
        assertThatThrownBy(() -> submission(bad.toString()))
                .hasMessageContaining("bad.toml: network: 'lan' is not a network");
    }

    @Test
    void localChecksNameTheOption() {
        assertThatThrownBy(() -> submission("--memory", "5l2M", "--", "true"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("--memory: '5l2M' is not a size");
        assertThatThrownBy(() -> submission("--runtime", "forever", "--", "true"))
                .hasMessageStartingWith("--runtime: 'forever' is not a duration");
        assertThatThrownBy(() -> submission("--env", "NOEQUALS", "--", "true"))
                .hasMessageStartingWith("--env: 'NOEQUALS' is not K=V");
        assertThatThrownBy(() -> submission("--cpus", "2")).hasMessageStartingWith("command: no command given");
    }

    @Test
    void secretVariablesComeFromTheFileAndTheFlagAndAreNeverQuotedBack() throws Exception {
        Path file = dir.resolve("secret.toml");
        Files.writeString(file, """
                command = ["run"]
                [env]
                MODE = "fast"
                [secrets]
                API_KEY = "from-file"
                DB_PASSWORD = "file"
                """);

        JobSubmission s = submission("--secret-env", "DB_PASSWORD=flag", file.toString());

        assertThat(s.env()).isEqualTo(Map.of("MODE", "fast"));
        assertThat(s.secretEnv()).isEqualTo(Map.of("API_KEY", "from-file", "DB_PASSWORD", "flag"));
        assertThat(s.toString()).doesNotContain("from-file").doesNotContain("flag");
        assertThatThrownBy(() -> submission("--secret-env", "hunter2", "--", "true"))
                .hasMessageStartingWith("--secret-env: an argument without '=' is not K=V")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aTomlFileIsReadAndFlagsOverrideIt() throws Exception {
        Path file = dir.resolve("job.toml");
        Files.writeString(file, """
                name = "from-file"
                command = ["echo", "{index}"]
                count = 2
                cpus = 3
                [env]
                A = "file"
                B = "file"
                """);

        JobSubmission s = submission("-n", "5", "--env", "B=flag", file.toString());

        assertThat(s)
                .isEqualTo(JobSubmission.builder()
                        .name("from-file")
                        .command(List.of("echo", "{index}"))
                        .cpus(3.0)
                        .env(Map.of("A", "file", "B", "flag"))
                        .count(5)
                        .build());
    }

    @Test
    void everythingFromTheCommandOnIsTheCommandsOwn() {
        JobSubmission s = submission("--cpus", "2", "python3", "-c", "print(1)", "--cpus", "3");

        assertThat(s.command()).containsExactly("python3", "-c", "print(1)", "--cpus", "3");
        assertThat(s.cpus()).isEqualTo(2.0);
    }

    @Test
    void optionsAfterAJobFileAreAnError() {
        assertThatThrownBy(() -> submission("job.toml", "-n", "3"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("put options before the job file");
    }

    @Test
    void afterDoubleDashATomlNameIsACommand() {
        assertThat(submission("--", "./setup.toml").command()).containsExactly("./setup.toml");
    }

    @Test
    void gpusComeFromTheFlagOrTheJobFileAndTheFlagWins() throws Exception {
        assertThat(submission("--gpus", "2", "--", "train").gpus()).isEqualTo(2);
        assertThat(submission("--", "train").gpus()).isNull();
        Path file = dir.resolve("gpu.toml");
        Files.writeString(file, "command = [\"train\"]\ngpus = 1\n");
        assertThat(submission(file.toString()).gpus()).isEqualTo(1);
        assertThat(submission("--gpus", "0", file.toString()).gpus()).isZero();
        Files.writeString(file, "command = [\"train\"]\ngpus = \"one\"\n");
        assertThatThrownBy(() -> submission(file.toString()))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("gpu.toml: gpus");
    }
}
