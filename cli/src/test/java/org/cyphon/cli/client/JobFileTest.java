package org.cyphon.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cyphon.core.job.JobSpec;
import org.cyphon.core.job.JobSpecs;
import org.cyphon.core.protocol.JobSubmission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobFileTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path f = dir.resolve("job.toml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsEveryDocumentedKey() throws Exception {
        JobSubmission s = JobFile.read(file("""
                name = "render"
                command = ["blender", "-b", "scene.blend", "-f", "{index}"]
                cpus = 2.5
                memory = "1.5G"
                runtime = "1h30m"
                priority = 7
                count = 3
                max_attempts = 2
                checkpoint_every = "30m"
                checkpoint_exit_code = 42

                [env]
                OMP_NUM_THREADS = "2"
                SEED = 42
                """));

        assertThat(s)
                .isEqualTo(JobSubmission.builder()
                        .name("render")
                        .command(List.of("blender", "-b", "scene.blend", "-f", "{index}"))
                        .cpus(2.5)
                        .memory("1.5G")
                        .runtime("1h30m")
                        .priority(7)
                        .env(Map.of("OMP_NUM_THREADS", "2", "SEED", "42"))
                        .count(3)
                        .maxAttempts(2)
                        .checkpointEvery("30m")
                        .checkpointExitCode(42)
                        .build());
    }

    @Test
    void countIsSentAsIsAndCoreSubstitutesTheIndex() throws Exception {
        JobSubmission s = JobFile.read(file("""
                executable = "python3"
                arguments = ["sim.py", "--seed={index}"]
                count = 3
                """));

        assertThat(s.command()).containsExactly("python3", "sim.py", "--seed={index}");
        assertThat(s.count()).isEqualTo(3);
        // What the coordinator will make of it: the same core code, so the file means what the flags mean.
        List<JobSpec> specs = JobSpecs.validate(s).specs();
        assertThat(specs).extracting(spec -> spec.command().get(2)).containsExactly("--seed=0", "--seed=1", "--seed=2");
    }

    @Test
    void checkpointKeysAreCheckedWithTheirNames() throws Exception {
        assertThat(JobFile.read(file("command = [\"sim\"]\ncheckpoint_every = 600\n"))
                        .checkpointEvery())
                .isEqualTo("600");
        Path bad = file("command = [\"sim\"]\ncheckpoint_every = \"often\"\n");
        assertThatThrownBy(() -> JobFile.read(bad))
                .isInstanceOf(InvalidInput.class)
                .hasMessage(bad + ": checkpoint_every: 'often' is not a duration (examples: 90s, 5m, 2h, 1h30m, 3d)");
        Path code = file("command = [\"sim\"]\ncheckpoint_exit_code = \"85\"\n");
        assertThatThrownBy(() -> JobFile.read(code))
                .hasMessage(code + ": checkpoint_exit_code: must be a whole number");
    }

    @Test
    void memoryAndRuntimeMayBeBareNumbers() throws Exception {
        JobSubmission s = JobFile.read(file("""
                command = ["sleep", 60]
                memory = 1048576
                runtime = 90
                cpus = 1
                """));

        assertThat(s.command()).containsExactly("sleep", "60");
        assertThat(s.memory()).isEqualTo("1048576");
        assertThat(s.runtime()).isEqualTo("90");
        assertThat(s.cpus()).isEqualTo(1.0);
    }

    @Test
    void unknownKeyIsNamedWithTheFile() throws Exception {
        Path f = file("""
                command = ["true"]
                memroy = "1G"
                """);

        assertThatThrownBy(() -> JobFile.read(f))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("unknown key 'memroy'")
                .hasMessageContaining("memory");
    }

    @Test
    void badSizeNamesTheKey() throws Exception {
        Path f = file("""
                command = ["true"]
                memory = "lots"
                """);

        assertThatThrownBy(() -> JobFile.read(f))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith(f + ": memory: ")
                .hasMessageContaining("'lots' is not a size");
    }

    @Test
    void badDurationNamesTheKey() throws Exception {
        Path f = file("""
                command = ["true"]
                runtime = "soon"
                """);

        assertThatThrownBy(() -> JobFile.read(f))
                .hasMessageStartingWith(f + ": runtime: ")
                .hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void wrongTypesNameTheKey() {
        assertThatThrownBy(() -> JobFile.parse("j.toml", "command = \"ls -l\""))
                .hasMessageStartingWith("j.toml: command: must be an array of strings");
        assertThatThrownBy(() -> JobFile.parse("j.toml", "command = [\"x\"]\ncpus = \"two\""))
                .hasMessageStartingWith("j.toml: cpus: must be a number");
        assertThatThrownBy(() -> JobFile.parse("j.toml", "command = [\"x\"]\ncount = 2.5"))
                .hasMessageStartingWith("j.toml: count: must be a whole number");
        assertThatThrownBy(() -> JobFile.parse("j.toml", "command = [\"x\"]\ncount = 99999999999"))
                .hasMessageStartingWith("j.toml: count: 99999999999 is out of range");
        assertThatThrownBy(() -> JobFile.parse("j.toml", "command = [\"x\"]\nenv = \"A=1\""))
                .hasMessageStartingWith("j.toml: env: must be a table");
        assertThatThrownBy(() -> JobFile.parse("j.toml", "command = [\"x\", [\"y\"]]"))
                .hasMessageStartingWith("j.toml: command[1]: must be a string");
    }

    @Test
    void theCommandMustBeThereOnceAndNotEmpty() {
        assertThatThrownBy(() -> JobFile.parse("j.toml", "name = \"x\""))
                .hasMessageStartingWith("j.toml: command: no command");
        assertThatThrownBy(() -> JobFile.parse("j.toml", "command = []"))
                .hasMessageStartingWith("j.toml: command: is empty");
        assertThatThrownBy(() -> JobFile.parse("j.toml", "command = [\"a\"]\nexecutable = \"b\""))
                .hasMessageStartingWith("j.toml: command: give either command or executable");
        assertThatThrownBy(() -> JobFile.parse("j.toml", "arguments = [\"a\"]"))
                .hasMessageStartingWith("j.toml: command: arguments needs executable");
    }

    @Test
    void notTomlSaysSoWithTheLine() {
        assertThatThrownBy(() -> JobFile.parse("j.toml", "command = [\"a\"]\nthis is not toml"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("j.toml: not valid TOML (line 2)");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.toml");
        assertThatThrownBy(() -> JobFile.read(missing)).hasMessage(missing + ": no such job file");
    }
}
