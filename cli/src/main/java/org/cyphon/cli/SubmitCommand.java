package org.cyphon.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.client.JobFile;
import org.cyphon.cli.client.LocalFiles;
import org.cyphon.cli.client.LocalInputs;
import org.cyphon.cli.client.Quantities;
import org.cyphon.cli.client.SendInputs;
import org.cyphon.core.protocol.JobSubmission;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cyphon submit [OPTIONS] [--] CMD ARGS...} or {@code cyphon submit [OPTIONS] FILE.toml}.
 * Prints the new job ids, one per line, and nothing else on stdout, so scripts can capture them.
 *
 * <p>With a job file, options given on the command line override the file's values ({@code --env}
 * adds to the file's {@code [env]}), so one file can be submitted with different counts or sizes.
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        modelTransformer = SubmitCommand.StopAtCommand.class,
        description = {
            "Submit a job: a command, or a job description file (docs/job-file.md).",
            "Prints the new job ids, one per line. Options go before the command or file:",
            "everything from the command on is the command's own."
        })
public final class SubmitCommand extends ApiCommand {
    @Spec
    CommandSpec spec;

    /**
     * Everything after the first non-option argument belongs to the job's command, so
     * {@code cyphon submit python3 -c 'print(1)'} works without "--" (like {@code srun}, {@code env}).
     */
    static final class StopAtCommand implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.parser().stopAtPositional(true);
            return spec;
        }
    }

    @Option(
            names = {"-n", "--count"},
            paramLabel = "N",
            description = "Submit N jobs; each gets CYPHON_INDEX=0..N-1 and {index} in its arguments replaced.")
    Integer count;

    @Option(names = "--cpus", paramLabel = "C", description = "CPUs per job, may be fractional (default 1).")
    Double cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory per job, e.g. 512M, 2G (default 256M).")
    String memory;

    @Option(
            names = "--runtime",
            paramLabel = "DURATION",
            description = "Expected run time, e.g. 90m, 2h; helps placement.")
    String runtime;

    @Option(names = "--priority", paramLabel = "P", description = "Higher runs first among your jobs (default 0).")
    Integer priority;

    @Option(names = "--name", paramLabel = "NAME", description = "Job name (default: the program's file name).")
    String name;

    @Option(names = "--env", paramLabel = "K=V", description = "Set an environment variable; repeatable.")
    List<String> env;

    @Option(
            names = "--secret-env",
            paramLabel = "K=V",
            description = "Set an environment variable whose value only you, admins and the job see:"
                    + " stored encrypted, shown as ••• to others, never logged; repeatable.")
    List<String> secretEnv;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Give up after N lost attempts (default 5).")
    Integer maxAttempts;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "DURATION",
            description =
                    "Ask the job for a checkpoint this often (e.g. 30m; at least 1m): it gets SIGUSR1 and saves into $CYPHON_CHECKPOINT_DIR. "
                            + "'auto': the job can checkpoint, Cyphon picks how often from the desk's idle forecast.")
    String checkpointEvery;

    @Option(
            names = "--checkpoint-exit-code",
            paramLabel = "N",
            description = "Exit code meaning 'checkpointed, requeue me' (1-125, default 85).")
    Integer checkpointExitCode;

    @Option(
            names = "--require",
            paramLabel = "K=V",
            description =
                    "Run only on a machine carrying this label (e.g. os=linux, gpu=nvidia, or one an admin set); repeatable.")
    List<String> require;

    @Option(
            names = "--after",
            paramLabel = "ID[,ID...]",
            split = ",",
            description = "Run only after these jobs complete with exit code 0; held if one does not.")
    List<Long> after;

    @Option(
            names = "--after-any",
            paramLabel = "ID[,ID...]",
            split = ",",
            description = "Run only after these jobs end, however they end.")
    List<Long> afterAny;

    @Option(
            names = "--input",
            paramLabel = "PATH",
            description =
                    "Send this file (or directory; DIR/ for its contents) into the job's working directory;"
                            + " repeatable. Uploaded once, only what the coordinator lacks; files on shared storage are linked, not sent.")
    List<String> input;

    @Option(
            names = "--output",
            paramLabel = "PATTERN",
            description = "Keep the job's files matching this pattern (relative to its working directory: *.csv,"
                    + " results/, out/**/*.log) when it ends and at every checkpoint; fetch them with"
                    + " 'cyphon fetch ID'. Repeatable.")
    List<String> output;

    @Option(
            names = "--needs-path",
            paramLabel = "PATH",
            description = "The job uses this shared storage path ([storage] shared on the desks) directly: run it"
                    + " only where it is mounted. Repeatable; inputs on shared storage add theirs.")
    List<String> needsPath;

    @Option(
            names = "--disk",
            paramLabel = "SIZE",
            description = "Disk its work directory may hold, e.g. 50M, 20G (default 10G): the job is stopped past it,"
                    + " and placed only on a desk with that much free.")
    String disk;

    @Option(
            names = "--network",
            paramLabel = "host|none",
            description = "host (default): the desk's network; none: only a loopback interface of its own.")
    String network;

    @Option(
            names = "--gpus",
            paramLabel = "N",
            description = "Whole GPUs per job (default 0): it runs only on a desk with N free, on devices of its own"
                    + " (CUDA_VISIBLE_DEVICES names them), and yields to the desk owner's GPU use.")
    Integer gpus;

    @Parameters(
            paramLabel = "CMD",
            arity = "0..*",
            description = "The command and its arguments, or one FILE.toml, or one HTCondor FILE.sub.")
    List<String> args;

    private JobSubmission submission;
    private SubmitFileJobs condor;
    /** The submission's files, checked here, sent in {@link #run} right before it. */
    private LocalFiles files = LocalFiles.NONE;

    @Override
    protected void checkInput() {
        if (isSubmitFile()) condor = SubmitFileJobs.read(Path.of(args.get(0)), overridesForSubmitFile());
        else {
            submission = submission();
            files = files();
        }
    }

    @Override
    protected int run(CyphonClient client) {
        List<Long> ids;
        if (condor != null) {
            ids = client.submitBatch(LocalFiles.sendAll(client, condor.batch(), condor.files()));
        } else {
            SendInputs sender = new SendInputs(client);
            ids = client.submit(files.sendWith(sender, submission));
            if (sender.bytesSent() > 0)
                note("sent " + org.cyphon.core.text.Sizes.format(sender.bytesSent()) + " of input files");
        }
        StringBuilder out = new StringBuilder();
        for (long id : ids) out.append(id).append('\n');
        print(out.toString());
        if (condor != null && condor.note() != null) note(condor.note());
        return 0;
    }

    /** What applies to every job of an HTCondor submit file: the dependencies, the name and secret variables. */
    private SubmitFileJobs.Overrides overridesForSubmitFile() {
        List<String> refused = new java.util.ArrayList<>();
        if (count != null) refused.add("--count");
        if (cpus != null) refused.add("--cpus");
        if (memory != null) refused.add("--memory");
        if (runtime != null) refused.add("--runtime");
        if (priority != null) refused.add("--priority");
        if (env != null) refused.add("--env");
        if (checkpointEvery != null) refused.add("--checkpoint-every");
        if (checkpointExitCode != null) refused.add("--checkpoint-exit-code");
        if (require != null) refused.add("--require");
        if (disk != null) refused.add("--disk (request_disk in the file)");
        if (input != null) refused.add("--input");
        if (output != null) refused.add("--output");
        if (needsPath != null) refused.add("--needs-path");
        if (gpus != null) refused.add("--gpus");
        if (!refused.isEmpty()) {
            throw new InvalidInput(String.join(", ", refused)
                    + ": with an HTCondor submit file, set this in the file (only --name, --max-attempts,"
                    + " --secret-env, --after, --after-any and --network apply; files are transfer_input_files and"
                    + " transfer_output_files)");
        }
        Map<String, String> secrets = envOption("--secret-env", secretEnv);
        return new SubmitFileJobs.Overrides(
                name,
                maxAttempts,
                secrets.isEmpty() ? null : secrets,
                after(),
                network == null ? null : Quantities.checkNetwork("--network", network));
    }

    /**
     * The job file's {@code [files]} with {@code --input}, {@code --output} and {@code --needs-path}
     * added; every path checked now, before anything is sent.
     */
    private LocalFiles files() {
        LocalFiles fromFile = isJobFile() ? JobFile.files(Path.of(args.get(0))) : LocalFiles.NONE;
        List<LocalInputs.Input> inputs = new java.util.ArrayList<>(fromFile.inputs());
        if (input != null) inputs.addAll(LocalInputs.resolve(input, Path.of("").toAbsolutePath(), "--input"));
        java.util.Set<String> names = new java.util.HashSet<>();
        for (LocalInputs.Input in : inputs)
            if (!names.add(in.name()))
                throw new InvalidInput(
                        "--input: two inputs would both be " + in.name() + " in the job's working directory");
        List<String> outputs = new java.util.ArrayList<>(fromFile.outputs());
        if (output != null) outputs.addAll(LocalInputs.checkOutputs(output, "--output"));
        List<String> needs = new java.util.ArrayList<>(fromFile.needsPaths());
        if (needsPath != null) needs.addAll(LocalInputs.checkSharedPaths(needsPath, "--needs-path"));
        return new LocalFiles(inputs, outputs, new java.util.ArrayList<>(new java.util.LinkedHashSet<>(needs)));
    }

    private JobSubmission.After after() {
        return after == null && afterAny == null ? null : new JobSubmission.After(after, afterAny);
    }

    // A first argument ending in .sub or .submit, not after "--", is an HTCondor submit file.
    private boolean isSubmitFile() {
        if (args == null || args.isEmpty()) return false;
        String a = args.get(0);
        if (!a.endsWith(".sub") && !a.endsWith(".submit")) return false;
        if (spec.commandLine().getParseResult().originalArgs().contains("--")) return false;
        if (args.size() > 1) {
            throw new InvalidInput("put options before the submit file: cyphon submit [OPTIONS] " + a
                    + " (to run a program named " + a + ", use: cyphon submit -- " + a + " ARGS...)");
        }
        return true;
    }

    /** What to send: the file's submission or the command's, with the options laid over it. */
    JobSubmission submission() {
        JobSubmission base = isJobFile() ? JobFile.read(Path.of(args.get(0))) : JobSubmission.of(commandFromArgs());
        Map<String, String> mergedEnv = base.env() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(base.env());
        mergedEnv.putAll(envOption("--env", env));
        Map<String, String> mergedSecrets =
                base.secretEnv() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(base.secretEnv());
        mergedSecrets.putAll(envOption("--secret-env", secretEnv));
        return JobSubmission.builder()
                .name(name != null ? name : base.name())
                .command(base.command())
                .cpus(cpus != null ? cpus : base.cpus())
                .memory(memory != null ? Quantities.checkSize("--memory", memory) : base.memory())
                .runtime(runtime != null ? Quantities.checkDuration("--runtime", runtime) : base.runtime())
                .priority(priority != null ? priority : base.priority())
                .env(mergedEnv.isEmpty() ? null : mergedEnv)
                .count(count != null ? count : base.count())
                .maxAttempts(maxAttempts != null ? maxAttempts : base.maxAttempts())
                .checkpointEvery(
                        checkpointEvery != null
                                ? Quantities.checkCheckpointEvery("--checkpoint-every", checkpointEvery)
                                : base.checkpointEvery())
                .checkpointExitCode(checkpointExitCode != null ? checkpointExitCode : base.checkpointExitCode())
                .requires(requires(base.requires()))
                .secretEnv(mergedSecrets.isEmpty() ? null : mergedSecrets)
                .after(after())
                .disk(disk != null ? Quantities.checkSize("--disk", disk) : base.disk())
                .network(network != null ? Quantities.checkNetwork("--network", network) : base.network())
                .gpus(gpus != null ? gpus : base.gpus())
                // no files: they are sent and attached just before the submit (LocalFiles.sendAll)
                .build();
    }

    // A first argument ending in .toml, not after "--", is a job file; "-- run.toml" runs a program.
    private boolean isJobFile() {
        if (args == null || args.isEmpty() || !args.get(0).endsWith(".toml")) return false;
        if (spec.commandLine().getParseResult().originalArgs().contains("--")) return false;
        if (args.size() > 1) {
            // Options after the file would otherwise be taken as the arguments of a program called FILE.toml.
            throw new InvalidInput("put options before the job file: cyphon submit [OPTIONS] " + args.get(0)
                    + " (to run a program named " + args.get(0) + ", use: cyphon submit -- " + args.get(0)
                    + " ARGS...)");
        }
        return true;
    }

    private List<String> commandFromArgs() {
        if (args == null || args.isEmpty()) {
            throw new InvalidInput(
                    "command: no command given (usage: cyphon submit [OPTIONS] [--] CMD ARGS... or cyphon submit [OPTIONS] FILE.toml)");
        }
        return List.copyOf(args);
    }

    /** The file's requirements with --require laid over them; null when there are none. */
    private Map<String, String> requires(Map<String, String> fromFile) {
        Map<String, String> out = fromFile == null ? new java.util.TreeMap<>() : new java.util.TreeMap<>(fromFile);
        if (require != null) out.putAll(Quantities.parseLabels("--require", require));
        return out.isEmpty() ? null : out;
    }

    private static Map<String, String> envOption(String option, List<String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        if (given == null) return out;
        for (String kv : given) {
            int eq = kv.indexOf('=');
            // A --secret-env argument is never quoted back: it may be a secret without its name.
            if (eq <= 0)
                throw new InvalidInput(option + ": "
                        + (option.equals("--env")
                                ? "'" + kv + "'"
                                : "an argument" + (eq == 0 ? " with no name" : " without '='"))
                        + " is not K=V (example: " + option + " OMP_NUM_THREADS=4)");
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }
}
