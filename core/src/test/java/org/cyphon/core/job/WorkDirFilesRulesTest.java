package org.cyphon.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.cyphon.core.machine.SharedPaths;
import org.cyphon.core.protocol.JobFiles;
import org.cyphon.core.protocol.JobSubmission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules every side applies to files in a job's working directory: names, output patterns, shared paths. */
class WorkDirFilesRulesTest {
    @ParameterizedTest
    @ValueSource(strings = {"a.csv", "data/a.csv", "deep/er/still.bin", ".hidden", "with space.txt", "ünïcode"})
    void namesInsideTheWorkingDirectoryAreFine(String name) {
        assertThat(WorkDirNames.problem(name)).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/etc/passwd|absolute path",
                "../x|'..' segment",
                "a/../../x|'..' segment",
                "a/./b|'.' segment",
                "a//b|empty segment",
                "a/|empty segment",
                ".cyphon-checkpoint/state|Cyphon's own",
                "a\\b|backslash"
            })
    void namesThatCouldLeaveItOrTakeCyphonsOwnAreRefused(String name, String why) {
        assertThat(WorkDirNames.problem(name)).contains(why);
    }

    @Test
    void aControlCharacterIsRefused() {
        assertThat(WorkDirNames.problem("a\nb")).contains("control character");
        assertThat(WorkDirNames.problem("")).isEqualTo("is empty");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "*.csv|a.csv|true",
                "*.csv|sub/a.csv|false",
                "**/*.csv|sub/deep/a.csv|true",
                "**/*.csv|a.csv|true",
                "results|results/x/y.bin|true",
                "results/|results/y.bin|true",
                "results|results2/y.bin|false",
                "out/**|out/a/b/c|true",
                "out/**|outside|false",
                "part-[0-9][0-9]|part-42|true",
                "part-[!0-9]|part-x|true",
                "part-[!0-9]|part-4|false",
                "a?c|abc|true",
                "a?c|a/c|false",
                "./log.txt|log.txt|true",
                "a+b(1).txt|a+b(1).txt|true"
            })
    void outputPatternsMatchLikeHtcondorsTransferOutputFiles(String pattern, String path, boolean matches) {
        assertThat(OutputPattern.compile(pattern).matches(path)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "../x|'..' segment",
                "a/../../etc|'..' segment",
                "/etc/passwd|outside the job's working directory",
                "~/secrets|outside the job's working directory",
                "a**b|whole segment",
                "part-[0-9|without its ]",
                "a//b|empty segment"
            })
    void patternsThatCouldNameFilesOutsideAreRefused(String pattern, String why) {
        assertThat(OutputPattern.problem(pattern)).contains(why);
        assertThatThrownBy(() -> OutputPattern.compile(pattern)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharedPathsArePlainAbsolutePathsAndBecomeLabelsNoPersonCanWrite() {
        assertThat(SharedPaths.problem("/srv/data")).isNull();
        assertThat(SharedPaths.problem("srv/data")).contains("not an absolute path");
        assertThat(SharedPaths.problem("/srv/../etc")).contains("not a plain absolute path");
        assertThat(SharedPaths.problem("/")).contains("whole machine");
        assertThat(SharedPaths.labels(List.of("/srv/data"))).isEqualTo(Map.of("/srv/data", "mounted"));
        assertThat(org.cyphon.core.machine.Labels.problem("/srv/data", "mounted"))
                .as("a label a person writes can never look like a path")
                .isNotNull();
        assertThat(SharedPaths.under("/srv/data/x.bin", "/srv/data")).isTrue();
        assertThat(SharedPaths.under("/srv/database", "/srv/data")).isFalse();
        assertThat(org.cyphon.core.machine.Labels.show(Map.of("/srv/data", "mounted", "gpu", "nvidia")))
                .isEqualTo("/srv/data mounted,gpu=nvidia");
    }

    private static JobSubmission withFiles(JobFiles f) {
        return JobSubmission.of(List.of("/bin/true")).withFiles(f);
    }

    @Test
    void aSubmissionsFilesAreCheckedFieldByFieldAndItsSharedPathsBecomeRequirements() {
        String sha = "ab".repeat(32);
        JobSpecs.Result ok = JobSpecs.validate(withFiles(new JobFiles(
                List.of(
                        JobFiles.Input.upload("in/a.csv", sha, 10, false),
                        JobFiles.Input.link("big", "/srv/data/big", 5)),
                List.of("out/"),
                List.of("/srv/data"))));
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.specs().get(0).requires()).containsEntry("/srv/data", "mounted");
        assertThat(ok.specs().get(0).files().inputs()).hasSize(2);

        assertThat(JobSpecs.validate(withFiles(new JobFiles(
                                List.of(JobFiles.Input.upload("a", "not-a-hash", 1, false)), List.of(), List.of())))
                        .errors())
                .extracting(e -> e.field())
                .containsExactly("files.inputs[0].sha256");
        assertThat(JobSpecs.validate(withFiles(new JobFiles(
                                List.of(
                                        JobFiles.Input.upload("a", sha, 1, false),
                                        JobFiles.Input.upload("a/b", sha, 1, false)),
                                List.of(),
                                List.of())))
                        .errors())
                .singleElement()
                .satisfies(e -> assertThat(e.error()).contains("'a' is a file, so 'a/b' cannot be inside it"));
        assertThat(JobSpecs.validate(withFiles(new JobFiles(
                                List.of(JobFiles.Input.link("x", "/etc/shadow", 1)), List.of(), List.of("/srv/data"))))
                        .errors())
                .singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("files.inputs[0].link"));
        assertThat(JobSpecs.validate(withFiles(new JobFiles(List.of(), List.of("../up"), List.of())))
                        .errors())
                .singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("files.outputs[0]"));
        assertThat(JobSpecs.validate(withFiles(new JobFiles(List.of(), List.of(), List.of("/srv/data", "/srv/data"))))
                        .errors())
                .singleElement()
                .satisfies(e -> assertThat(e.error()).contains("listed twice"));
    }
}
