package org.cyphon.agent.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cyphon.core.job.OutputPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent, as root, reads of a job's working directory to send its outputs: the files the
 * patterns keep, never through a symbolic link a job planted, never Cyphon's own checkpoint
 * directory, never a FIFO.
 */
class WorkDirFilesTest {
    @TempDir
    Path tmp;

    private static List<OutputPattern> patterns(String... p) {
        return java.util.Arrays.stream(p).map(OutputPattern::compile).toList();
    }

    @Test
    void theFilesThePatternsKeepAndNothingThroughALinkOrOfCyphonsOwn() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "the agent's, not the job's");
        Files.createDirectories(work.resolve("out/deep"));
        Files.writeString(work.resolve("out/a.csv"), "1,2\n");
        Files.writeString(work.resolve("out/deep/b.csv"), "3,4\n");
        Files.writeString(work.resolve("notes.txt"), "no pattern keeps me");
        Files.createSymbolicLink(work.resolve("out/stolen.csv"), secret);
        Files.createSymbolicLink(work.resolve("out/linkdir"), tmp);
        Files.createDirectories(work.resolve(".cyphon-checkpoint"));
        Files.writeString(work.resolve(".cyphon-checkpoint/state.csv"), "cyphon's");
        new ProcessBuilder("mkfifo", work.resolve("out/fifo.csv").toString())
                .start()
                .waitFor();

        List<WorkDirFiles.Found> found = WorkDirFiles.matching(work, patterns("out/", "**/*.csv"));
        assertThat(found).extracting(WorkDirFiles.Found::name).containsExactly("out/a.csv", "out/deep/b.csv");
        assertThat(found.get(0).size()).isEqualTo(4);

        try (SeekableByteChannel ch = WorkDirFiles.open(work, "out/deep/b.csv")) {
            ByteBuffer b = ByteBuffer.allocate(16);
            ch.read(b);
            assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8))
                    .isEqualTo("3,4\n");
        }
        assertThatThrownBy(() -> WorkDirFiles.open(work, "out/stolen.csv")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WorkDirFiles.open(work, "out/linkdir/secret.txt"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WorkDirFiles.open(work, "out/fifo.csv"))
                .as("a FIFO would hang the reader")
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> WorkDirFiles.open(work, "../secret.txt")).hasMessageContaining("'..' segment");
    }
}
