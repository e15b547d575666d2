package org.cyphon.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What --input, a job file's [files] and transfer_input_files name, as the job will see it, checked before anything is sent. */
class LocalInputsTest {
    @TempDir
    Path dir;

    @Test
    void aFileByItsNameADirectoryUnderItsNameAndDirSlashByItsContents() throws Exception {
        Files.writeString(dir.resolve("params.json"), "{}");
        Files.createDirectories(dir.resolve("data/sub"));
        Files.writeString(dir.resolve("data/a.csv"), "1\n");
        Files.writeString(dir.resolve("data/sub/b.csv"), "2\n");
        Path run = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        run.toFile().setExecutable(true);

        List<LocalInputs.Input> in = LocalInputs.resolve(List.of("params.json", "data", "run.sh"), dir, "--input");
        assertThat(in)
                .extracting(LocalInputs.Input::name)
                .containsExactly("params.json", "data/a.csv", "data/sub/b.csv", "run.sh");
        assertThat(in.get(3).executable()).isTrue();
        assertThat(in.get(0).executable()).isFalse();
        assertThat(in.get(1).size()).isEqualTo(2);

        assertThat(LocalInputs.resolve(List.of("data/"), dir, "--input"))
                .extracting(LocalInputs.Input::name)
                .containsExactly("a.csv", "sub/b.csv");
    }

    @Test
    void aMissingFileTwoInputsOfOneNameAndSpecialFilesFailBeforeAnythingIsSent() throws Exception {
        assertThatThrownBy(() -> LocalInputs.resolve(List.of("nosuch.csv"), dir, "--input"))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("--input nosuch.csv: no such file or directory");
        Files.createDirectories(dir.resolve("x"));
        Files.writeString(dir.resolve("a.csv"), "1");
        Files.writeString(dir.resolve("x/a.csv"), "2");
        assertThatThrownBy(() -> LocalInputs.resolve(List.of("a.csv", "x/a.csv"), dir, "--input"))
                .hasMessageContaining("would both be a.csv");
        new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start().waitFor();
        assertThatThrownBy(() -> LocalInputs.resolve(List.of("pipe"), dir, "--input"))
                .hasMessageContaining("not a regular file or directory");
        assertThatThrownBy(() -> LocalInputs.checkOutputs(List.of("ok/*.csv", "../up"), "--output"))
                .hasMessageContaining("--output ../up");
        assertThatThrownBy(() -> LocalInputs.checkSharedPaths(List.of("relative"), "--needs-path"))
                .hasMessageContaining("not an absolute path");
    }

    @Test
    void aJobFilesFilesTableIsResolvedAgainstItsOwnDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("job"));
        Files.writeString(sub.resolve("in.txt"), "x");
        Path toml = Files.writeString(sub.resolve("j.toml"), """
                command = ["cat", "in.txt"]
                [files]
                input = ["in.txt"]
                output = "result.txt"
                needs_paths = ["/srv/data"]
                """);
        assertThat(JobFile.read(toml).command()).containsExactly("cat", "in.txt");
        LocalFiles f = JobFile.files(toml);
        assertThat(f.inputs()).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("in.txt");
            assertThat(i.local()).isEqualTo(sub.resolve("in.txt"));
        });
        assertThat(f.outputs()).containsExactly("result.txt");
        assertThat(f.needsPaths()).containsExactly("/srv/data");

        Path bad = Files.writeString(sub.resolve("bad.toml"), "command = [\"true\"]\n[files]\ninputs = [\"x\"]\n");
        assertThatThrownBy(() -> JobFile.read(bad)).hasMessageContaining("files: unknown key 'inputs'");
    }
}
