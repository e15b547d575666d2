package org.cyphon.cli.condor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cyphon.cli.client.InvalidInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The submit-file reader against a table of submit files written in the style of HTCondor's
 * manual examples, each with the jobs it must make, and a table of files it must refuse, each with
 * the words the refusal must contain (file, line, command).
 */
class SubmitFileTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("params.txt"), "0.1 fast\n0.5 slow\n\n# a comment\n0.9 very slow\n");
        Files.writeString(dir.resolve("run_a.dat"), "");
        Files.writeString(dir.resolve("run_b.dat"), "");
        Files.writeString(dir.resolve("notes.txt"), "");
        Files.createDirectory(dir.resolve("run_c.dat"));
    }

    /** A compact view of a job for the table: command, env, and the settings that were given. */
    record Expected(
            List<String> command,
            Map<String, String> env,
            Double cpus,
            String memory,
            String runtime,
            Integer priority,
            Integer checkpointExitCode,
            Map<String, String> requires) {
        static Expected of(String... command) {
            return new Expected(List.of(command), Map.of(), null, null, null, null, null, Map.of());
        }

        Expected env(Map<String, String> e) {
            return new Expected(command, e, cpus, memory, runtime, priority, checkpointExitCode, requires);
        }

        Expected sized(Double c, String m) {
            return new Expected(command, env, c, m, runtime, priority, checkpointExitCode, requires);
        }

        Expected hints(String rt, Integer prio, Integer ckpt) {
            return new Expected(command, env, cpus, memory, rt, prio, ckpt, requires);
        }

        Expected requires(Map<String, String> r) {
            return new Expected(command, env, cpus, memory, runtime, priority, checkpointExitCode, r);
        }

        static Expected from(CondorJob j) {
            return new Expected(
                    j.command(),
                    j.env(),
                    j.cpus(),
                    j.memory(),
                    j.runtime(),
                    j.priority(),
                    j.checkpointExitCode(),
                    j.requires());
        }
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("the simplest file: one job", """
                        # run the analysis once
                        executable = /opt/sim/bin/analyze
                        queue
                        """, List.of(Expected.of("/opt/sim/bin/analyze"))),
                Arguments.of(
                        "queue N with $(Process) and $(Cluster) in the arguments",
                        """
                        universe   = vanilla
                        executable = /opt/sim/bin/mc
                        arguments  = --seed $(Process) --tag run$(Cluster).$(Process)
                        output     = mc.$(Cluster).$(Process).out
                        error      = mc.$(Cluster).$(Process).err
                        log        = mc.log
                        queue 3
                        """,
                        List.of(
                                Expected.of("/opt/sim/bin/mc", "--seed", "0", "--tag", "run{cluster}.0"),
                                Expected.of("/opt/sim/bin/mc", "--seed", "1", "--tag", "run{cluster}.1"),
                                Expected.of("/opt/sim/bin/mc", "--seed", "2", "--tag", "run{cluster}.2"))),
                Arguments.of(
                        "new-style quoted arguments and environment",
                        """
                        executable  = /usr/bin/env
                        arguments   = "-u 'a b' 'it''s' ""quoted""\"
                        environment = "MODE=batch GREETING='hello world' EMPTY="
                        queue
                        """,
                        List.of(Expected.of("/usr/bin/env", "-u", "a b", "it's", "\"quoted\"")
                                .env(Map.of("MODE", "batch", "GREETING", "hello world", "EMPTY", "")))),
                Arguments.of(
                        "old-style environment with semicolons; resources in HTCondor units",
                        """
                        Executable     = /opt/render/bin/frame
                        Environment    = OMP_NUM_THREADS=4;SCENE=hall
                        request_cpus   = 4
                        request_memory = 2 GB
                        queue
                        request_memory = 1500
                        queue
                        """,
                        List.of(
                                Expected.of("/opt/render/bin/frame")
                                        .env(Map.of("OMP_NUM_THREADS", "4", "SCENE", "hall"))
                                        .sized(4.0, "2048M"),
                                Expected.of("/opt/render/bin/frame")
                                        .env(Map.of("OMP_NUM_THREADS", "4", "SCENE", "hall"))
                                        .sized(4.0, "1500M"))),
                Arguments.of(
                        "queue in a list, with ItemIndex and Step",
                        """
                        executable = /opt/sim/bin/fit
                        arguments  = $(model) $(ItemIndex) $(Step) $(Process)
                        queue 2 model in (linear, quadratic)
                        """,
                        List.of(
                                Expected.of("/opt/sim/bin/fit", "linear", "0", "0", "0"),
                                Expected.of("/opt/sim/bin/fit", "linear", "0", "1", "1"),
                                Expected.of("/opt/sim/bin/fit", "quadratic", "1", "0", "2"),
                                Expected.of("/opt/sim/bin/fit", "quadratic", "1", "1", "3"))),
                Arguments.of(
                        "queue in a multi-line list, default variable Item",
                        """
                        executable = /bin/echo
                        arguments  = $(Item)
                        queue in (
                            red
                            green blue
                        )
                        """,
                        List.of(
                                Expected.of("/bin/echo", "red"),
                                Expected.of("/bin/echo", "green"),
                                Expected.of("/bin/echo", "blue"))),
                Arguments.of(
                        "queue from a file with two variables; the last takes the rest of the line",
                        """
                        executable = /opt/sim/bin/sweep
                        arguments  = "--rate $(rate) --label '$(label)'"
                        queue rate, label from params.txt
                        """,
                        List.of(
                                Expected.of("/opt/sim/bin/sweep", "--rate", "0.1", "--label", "fast"),
                                Expected.of("/opt/sim/bin/sweep", "--rate", "0.5", "--label", "slow"),
                                Expected.of("/opt/sim/bin/sweep", "--rate", "0.9", "--label", "very slow"))),
                Arguments.of(
                        "queue from an inline list",
                        """
                        executable = /bin/echo
                        arguments  = $(x)-$(y)
                        queue x y from (
                          1 one
                          2 two
                        )
                        """,
                        List.of(Expected.of("/bin/echo", "1-one"), Expected.of("/bin/echo", "2-two"))),
                Arguments.of(
                        "queue matching files (directories left out), sorted",
                        """
                        executable = /opt/sim/bin/reduce
                        arguments  = $(infile)
                        queue infile matching files *.dat
                        """,
                        List.of(
                                Expected.of("/opt/sim/bin/reduce", "run_a.dat"),
                                Expected.of("/opt/sim/bin/reduce", "run_b.dat"))),
                Arguments.of(
                        "priority, checkpoint_exit_code, +MaxRuntime, requirements, continuation lines",
                        """
                        executable           = /opt/sim/bin/long
                        priority             = 10
                        checkpoint_exit_code = 85
                        +MaxRuntime          = 7200
                        requirements         = (OpSys == "LINUX") && \\
                                               (Arch == "X86_64") && (TARGET.site == "north")
                        queue
                        """,
                        List.of(Expected.of("/opt/sim/bin/long")
                                .hints("7200s", 10, 85)
                                .requires(Map.of("os", "linux", "arch", "x86_64", "site", "north")))),
                Arguments.of(
                        "a command used as a macro; a macro default",
                        """
                        executable   = /opt/sim/bin/step
                        request_cpus = 2
                        arguments    = -j $(request_cpus) $(missing:fallback)
                        queue
                        """,
                        List.of(Expected.of("/opt/sim/bin/step", "-j", "2", "fallback")
                                .sized(2.0, null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void makesTheExpectedJobs(String title, String file, List<Expected> expected) {
        List<CondorJob> jobs = SubmitFile.parse("job.sub", file, dir);
        assertThat(jobs.stream().map(Expected::from).toList()).as(title).isEqualTo(expected);
        for (int i = 0; i < jobs.size(); i++) assertThat(jobs.get(i).process()).isEqualTo(i);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("executable = /bin/true\ngetenv = true\nqueue\n", List.of("job.sub:2", "'getenv'")),
                Arguments.of(
                        "executable = /bin/true\n+ProjectName = \"x\"\nqueue\n", List.of("job.sub:2", "+ProjectName")),
                Arguments.of("executable = /bin/true\nuniverse = docker\nqueue\n", List.of("job.sub:2", "vanilla")),
                Arguments.of("executable = analyze\nqueue\n", List.of("job.sub:1", "analyze", "no such file")),
                Arguments.of(
                        "executable = /bin/true\nshould_transfer_files = NO\ntransfer_input_files = a.csv\nqueue\n",
                        List.of("job.sub:3", "transfer_input_files", "should_transfer_files = NO")),
                Arguments.of(
                        "executable = /bin/true\nshould_transfer_files = SOMETIMES\nqueue\n",
                        List.of("job.sub:2", "YES, NO or IF_NEEDED")),
                Arguments.of(
                        "executable = /bin/true\ntransfer_output_files = ../escape.txt\nqueue\n",
                        List.of("job.sub:2", "transfer_output_files", "'..' segment")),
                Arguments.of("executable = /bin/true\n", List.of("no queue statement")),
                Arguments.of("arguments = x\nqueue\n", List.of("job.sub:2", "no executable")),
                Arguments.of(
                        "executable = /bin/true\nqueue\narguments = late\n",
                        List.of("job.sub:3", "after the last queue")),
                Arguments.of(
                        "executable = /bin/true\nrequest_memory = lots\nqueue\n",
                        List.of("job.sub:2", "request_memory", "not a size")),
                Arguments.of(
                        "executable = /bin/true\nrequest_cpus = 2 * 2\nqueue\n", List.of("job.sub:2", "request_cpus")),
                Arguments.of(
                        "executable = /bin/true\narguments = \"unclosed\nqueue\n",
                        List.of("job.sub:2", "arguments", "double quote")),
                Arguments.of("executable = /bin/true\narguments = $(Nope)\nqueue\n", List.of("job.sub:2", "$(Nope)")),
                Arguments.of("executable = /bin/true\narguments = $ENV(HOME)\nqueue\n", List.of("job.sub:2", "$ENV(")),
                Arguments.of(
                        "executable = /bin/true\narguments = {index}\nqueue\n", List.of("job.sub:2", "$(Process)")),
                Arguments.of(
                        "executable = /bin/true\nrequirements = (Memory > 2048) || (OpSys == \"LINUX\")\nqueue\n",
                        List.of("job.sub:2", "requirements", "not understood")),
                Arguments.of("executable = /bin/true\nqueue 0\n", List.of("job.sub:2", "count")),
                Arguments.of("executable = /bin/true\nqueue 200000\n", List.of("job.sub:2", "100000")),
                Arguments.of("executable = /bin/true\nqueue x in [1:2] (a b)\n", List.of("job.sub:2", "slices")),
                Arguments.of("executable = /bin/true\nqueue x from missing.txt\n", List.of("job.sub:2", "missing.txt")),
                Arguments.of(
                        "executable = /bin/true\nqueue x matching *.none\n", List.of("job.sub:2", "matches nothing")),
                Arguments.of("executable = /bin/true\nqueue in (\n a\n", List.of("job.sub:2", "never closed")),
                Arguments.of(
                        "executable = /bin/true\nthis is not a command\nqueue\n", List.of("job.sub:2", "neither")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refused")
    void refusesWithTheLineAndCommand(String file, List<String> mentions) {
        assertThatThrownBy(() -> SubmitFile.parse("job.sub", file, dir))
                .isInstanceOf(InvalidInput.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(mentions));
    }

    @ParameterizedTest(name = "request_disk = {0}")
    @org.junit.jupiter.params.provider.CsvSource({"2G, 2097152K", "1024, 1024K", "100 MB, 102400K", "1.5M, 1536K"})
    void requestDiskBecomesTheJobsDiskInKib(String written, String disk) {
        CondorJob j = SubmitFile.parse(
                        "job.sub", "executable = /bin/true\nrequest_disk = " + written + "\nqueue\n", dir)
                .get(0);
        assertThat(j.disk()).isEqualTo(disk);
    }

    @Test
    void transferFilesAndARelativeExecutableAreSentAndOutputsKept() throws Exception {
        Files.writeString(dir.resolve("analyze"), "#!/bin/sh\necho hi\n");
        Files.createDirectories(dir.resolve("lib"));
        List<CondorJob> jobs = SubmitFile.parse("job.sub", """
                executable = analyze
                arguments = in_$(Process).csv
                should_transfer_files = YES
                when_to_transfer_output = ON_EXIT
                transfer_input_files = in_$(Process).csv, lib/
                transfer_output_files = out_$(Process).h5, plots
                queue 2
                """, dir);
        assertThat(jobs).hasSize(2);
        CondorJob second = jobs.get(1);
        assertThat(second.command()).containsExactly("./analyze", "in_1.csv");
        assertThat(second.transfer().inputs())
                .containsExactly(
                        dir.resolve("analyze").toString(),
                        dir.resolve("in_1.csv").toString(),
                        dir.resolve("lib") + "/");
        assertThat(second.transfer().outputs()).containsExactly("out_1.h5", "plots");
    }

    @Test
    void requestGpusIsTheJobsGpuCount() {
        // In the manual's style: a CUDA program, one GPU per job, a batch of inputs.
        List<CondorJob> jobs = SubmitFile.parse("job.sub", """
                executable   = /opt/cuda-apps/bin/train
                arguments    = --shard $(Process)
                request_cpus = 2
                request_gpus = 1
                queue 2
                executable   = /bin/true
                request_gpus = 0
                queue
                """, dir);
        assertThat(jobs).extracting(CondorJob::gpus).containsExactly(1, 1, 0);
        assertThat(SubmitFile.parse("job.sub", "executable = /bin/true\nqueue\n", dir)
                        .get(0)
                        .gpus())
                .isNull();
        assertThatThrownBy(() -> SubmitFile.parse("job.sub", "executable = /bin/true\nrequest_gpus = -1\nqueue\n", dir))
                .hasMessageContaining("job.sub:2")
                .hasMessageContaining("request_gpus");
    }
}
