package org.cyphon.sim.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.cyphon.sim.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwfReaderTest {
    static final Path KTH = Path.of("src/test/resources/kth-excerpt.swf");

    @TempDir
    Path dir;

    @Test
    void readsTheRealExcerptShiftedScaledAndCapped() {
        JobTrace t = SwfReader.read(KTH, 1.0, 4, 0);

        assertThat(t.jobs()).hasSize(200);
        TraceJob first = t.jobs().getFirst();
        // KTH line: "15 599850 192180 3477 4 ... 4 53940 -1 1 12 12 ..."
        assertThat(first.id()).isEqualTo(15);
        assertThat(first.submitMs()).isZero();
        assertThat(first.runtimeS()).isEqualTo(3477);
        assertThat(first.cpus()).isEqualTo(4);
        assertThat(first.requestedS()).isEqualTo(53940);
        assertThat(first.user()).isEqualTo("u12");
        // The second asked for 25 processors: capped to the desk's 4, run time kept.
        TraceJob second = t.jobs().get(1);
        assertThat(second.cpus()).isEqualTo(4);
        assertThat(second.runtimeS()).isEqualTo(2488);
        assertThat(second.submitMs()).isEqualTo((600022 - 599850) * 1000L);
        assertThat(t.cappedCpus()).isPositive();
        assertThat(t.jobs()).isSortedAccordingTo(java.util.Comparator.comparingLong(TraceJob::submitMs));
    }

    @Test
    void timeScaleAndMaxJobsApply() {
        JobTrace t = SwfReader.read(KTH, 0.5, 4, 10);

        assertThat(t.jobs()).hasSize(10);
        assertThat(t.jobs().get(1).submitMs()).isEqualTo((600022 - 599850) * 500L);
    }

    @Test
    void readsGzip() throws IOException {
        Path gz = dir.resolve("kth.swf.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(KTH));
        }
        assertThat(SwfReader.read(gz, 1, 4, 0).jobs()).hasSize(200);
    }

    @Test
    void skipsJobsWithoutRunTimeAndNamesBadLines() throws IOException {
        Path f = dir.resolve("bad.swf");
        Files.writeString(f, """
                ; a comment
                1 0 0 100 1 -1 -1 1 200 -1 1 3 3 7 -1 -1 -1 -1
                2 10 0 -1 1 -1 -1 1 200 -1 0 3 3 7 -1 -1 -1 -1
                3 20 0 50 x -1 -1 1 200 -1 1 3 3 7 -1 -1 -1 -1
                """);
        assertThatThrownBy(() -> SwfReader.read(f, 1, 4, 0))
                .isInstanceOf(InputError.class)
                .hasMessage(f + ":4: field 5 'x' is not a number");

        Files.writeString(
                f,
                "1 0 0 100 1 -1 -1 1 200 -1 1 3 3 7 -1 -1 -1 -1\n2 10 0 -1 1 -1 -1 1 200 -1 0 3 3 7 -1 -1 -1 -1\n3 20 0 5\n");
        assertThatThrownBy(() -> SwfReader.read(f, 1, 4, 0))
                .isInstanceOf(InputError.class)
                .hasMessage(f + ":3: an SWF job line has 18 fields, this one 4");

        Files.writeString(
                f, "1 0 0 100 1 -1 -1 1 200 -1 1 3 3 7 -1 -1 -1 -1\n2 10 0 -1 1 -1 -1 1 200 -1 0 3 3 7 -1 -1 -1 -1\n");
        JobTrace t = SwfReader.read(f, 1, 4, 0);
        assertThat(t.jobs()).hasSize(1);
        assertThat(t.skipped()).isEqualTo(1);
        assertThat(t.jobs().getFirst().name()).isEqualTo("x7");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> SwfReader.read(dir.resolve("nope.swf"), 1, 4, 0))
                .isInstanceOf(InputError.class)
                .hasMessageContaining("nope.swf: no such file");
    }
}
