package org.cyphon.core.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.cyphon.core.machine.Labels;
import org.cyphon.core.machine.SharedPaths;
import org.cyphon.core.protocol.JobFiles;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.text.Durations;
import org.cyphon.core.text.FieldError;
import org.cyphon.core.text.Sizes;

/**
 * Turns a {@link JobSubmission} into validated {@link JobSpec}s, or says exactly which field is
 * wrong. All or nothing: a submission with any error yields no spec, so nothing is stored half-way.
 */
public final class JobSpecs {
    public static final double DEFAULT_CPUS = 1;
    public static final long DEFAULT_MEMORY = 256L << 20;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public static final double MAX_CPUS = 1024;
    public static final long MIN_MEMORY = 1L << 20;
    public static final long MAX_MEMORY = 4L << 40;
    /**
     * Jobs one submission (or one batch) may make: a sweep of 100,000 is one command, one request
     * and one transaction (bench/run bulk measures it).
     */
    public static final int MAX_COUNT = 100_000;

    public static final int MAX_ARGS = 4096;
    public static final int MAX_ARG_LENGTH = 128 * 1024;
    public static final int MAX_ENV = 256;
    public static final int MAX_PRIORITY = 1_000_000;
    public static final Duration MAX_RUNTIME = Duration.ofDays(365);
    /** Smallest and largest {@code --disk}: below a megabyte not even a shell's history fits. */
    public static final long MIN_DISK = 1L << 20;

    public static final long MAX_DISK = 64L << 40;
    /** The job uses the desk's network ({@code --network host}, the default). */
    public static final String NETWORK_HOST = "host";
    /** The job gets a network namespace of its own with only a loopback interface ({@code --network none}). */
    public static final String NETWORK_NONE = "none";
    /** Most GPUs one job may ask for: more than any desk in an office holds. */
    public static final int MAX_GPUS = 16;

    /**
     * The default "checkpointed, requeue me" exit code. Any code a job would not use for a real end
     * works; 85 is not one of the conventional ones (sysexits 64-78, the shell's 126/127, 128+N).
     */
    public static final int DEFAULT_CHECKPOINT_EXIT_CODE = 85;
    /**
     * Allowed checkpoint exit codes. Not 126/127 (the shell could not run the command) nor 128 and
     * up (reported as death by signal N = code - 128 by the agent, so never seen as an exit code).
     */
    public static final int MIN_CHECKPOINT_EXIT_CODE = 1;

    public static final int MAX_CHECKPOINT_EXIT_CODE = 125;
    /** {@code checkpointEvery: "auto"}: the job can checkpoint; the coordinator picks the interval from the desk's forecast. */
    public static final String CHECKPOINT_AUTO = "auto";
    /**
     * Shortest periodic checkpoint interval. Writing a checkpoint costs the job I/O and the desk
     * an upload; BOINC asks its tasks for one at most every 60 s, and so do we.
     */
    public static final Duration MIN_CHECKPOINT_EVERY = Duration.ofMinutes(1);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+@-]{0,127}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private JobSpecs() {}

    /** Either the specs (one per instance) or the errors, never both. */
    public record Result(List<JobSpec> specs, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    public static Result validate(JobSubmission s) {
        return validate(s, 0);
    }

    /**
     * @param firstIndex the index of the submission's first instance: 0 alone; in a batch of
     *                   submissions the indexes run on across them, like HTCondor's process numbers
     */
    public static Result validate(JobSubmission s, int firstIndex) {
        List<FieldError> errors = new ArrayList<>();
        if (s == null)
            return new Result(List.of(), List.of(new FieldError("body", "a job submission object is required")));

        List<String> command = s.command();
        if (command == null || command.isEmpty()) {
            errors.add(new FieldError("command", "is empty: give the program to run and its arguments"));
        } else if (command.size() > MAX_ARGS) {
            errors.add(new FieldError("command", "has " + command.size() + " arguments; at most " + MAX_ARGS));
        } else {
            for (int i = 0; i < command.size(); i++) {
                String a = command.get(i);
                if (a == null) errors.add(new FieldError("command[" + i + "]", "is null"));
                else if (a.length() > MAX_ARG_LENGTH)
                    errors.add(
                            new FieldError("command[" + i + "]", "is longer than " + MAX_ARG_LENGTH + " characters"));
                else if (a.indexOf('\0') >= 0)
                    errors.add(new FieldError("command[" + i + "]", "contains a NUL character"));
            }
            if (errors.isEmpty() && command.get(0).isBlank())
                errors.add(new FieldError("command[0]", "the program name is blank"));
        }

        String name = s.name();
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(
                    new FieldError(
                            "name",
                            "'" + abbreviate(name)
                                    + "' is not a valid name (letters, digits and ._:+@-, at most 128, starting with a letter or digit)"));
        }

        int cpuMillis = (int) (DEFAULT_CPUS * 1000);
        if (s.cpus() != null) {
            double c = s.cpus();
            if (Double.isNaN(c) || c <= 0) errors.add(new FieldError("cpus", "must be greater than 0, got " + c));
            else if (c > MAX_CPUS)
                errors.add(new FieldError("cpus", "must be at most " + (int) MAX_CPUS + ", got " + c));
            else cpuMillis = Math.max(1, (int) Math.round(c * 1000));
        }

        long memory = DEFAULT_MEMORY;
        if (s.memory() != null) {
            try {
                memory = Sizes.parse(s.memory());
                if (memory < MIN_MEMORY) errors.add(new FieldError("memory", "must be at least 1M, got " + s.memory()));
                else if (memory > MAX_MEMORY)
                    errors.add(new FieldError("memory", "must be at most 4T, got " + s.memory()));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("memory", e.getMessage()));
            }
        }

        Duration runtime = null;
        if (s.runtime() != null) {
            try {
                runtime = Durations.parse(s.runtime());
                if (runtime.isZero() || runtime.isNegative()) errors.add(new FieldError("runtime", "must be positive"));
                else if (runtime.compareTo(MAX_RUNTIME) > 0)
                    errors.add(new FieldError("runtime", "must be at most 365d"));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("runtime", e.getMessage()));
            }
        }

        int priority = 0;
        if (s.priority() != null) {
            priority = s.priority();
            if (Math.abs((long) priority) > MAX_PRIORITY)
                errors.add(new FieldError("priority", "must be between -" + MAX_PRIORITY + " and " + MAX_PRIORITY));
        }

        Map<String, String> env = environment(s.env(), "env", errors);
        Map<String, String> secretEnv = environment(s.secretEnv(), "secretEnv", errors);
        for (String k : secretEnv.keySet()) {
            if (env.containsKey(k))
                errors.add(new FieldError("secretEnv." + k, "is also in env: give each variable once"));
        }
        int plain = s.env() == null ? 0 : s.env().size();
        int secret = s.secretEnv() == null ? 0 : s.secretEnv().size();
        if (plain <= MAX_ENV && secret <= MAX_ENV && plain + secret > MAX_ENV)
            errors.add(new FieldError(
                    "secretEnv",
                    "env and secretEnv have " + (plain + secret) + " variables together; at most " + MAX_ENV));

        int count = 1;
        if (s.count() != null) {
            count = s.count();
            if (count < 1 || count > MAX_COUNT)
                errors.add(new FieldError("count", "must be between 1 and " + MAX_COUNT + ", got " + count));
        }

        int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        if (s.maxAttempts() != null) {
            maxAttempts = s.maxAttempts();
            if (maxAttempts < 1 || maxAttempts > 100)
                errors.add(new FieldError("maxAttempts", "must be between 1 and 100, got " + maxAttempts));
        }

        Duration checkpointEvery = null;
        if (s.checkpointEvery() != null && s.checkpointEvery().trim().equalsIgnoreCase(CHECKPOINT_AUTO)) {
            checkpointEvery = JobSpec.CHECKPOINT_AUTO;
        } else if (s.checkpointEvery() != null) {
            try {
                checkpointEvery = Durations.parse(s.checkpointEvery());
                if (checkpointEvery.compareTo(MIN_CHECKPOINT_EVERY) < 0)
                    errors.add(new FieldError("checkpointEvery", "must be at least 1m, got " + s.checkpointEvery()));
                else if (checkpointEvery.compareTo(MAX_RUNTIME) > 0)
                    errors.add(new FieldError("checkpointEvery", "must be at most 365d"));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("checkpointEvery", e.getMessage()));
            }
        }

        int checkpointExitCode = DEFAULT_CHECKPOINT_EXIT_CODE;
        if (s.checkpointExitCode() != null) {
            checkpointExitCode = s.checkpointExitCode();
            if (checkpointExitCode < MIN_CHECKPOINT_EXIT_CODE || checkpointExitCode > MAX_CHECKPOINT_EXIT_CODE) {
                errors.add(new FieldError(
                        "checkpointExitCode",
                        "must be between " + MIN_CHECKPOINT_EXIT_CODE + " and " + MAX_CHECKPOINT_EXIT_CODE
                                + " (126 and up mean 'could not run' or 'killed by a signal'), got "
                                + checkpointExitCode));
            }
        }

        Map<String, String> requires = Map.of();
        if (s.requires() != null) {
            String problem = Labels.problem(s.requires());
            if (problem != null) errors.add(new FieldError("requires", problem));
            else requires = s.requires();
        }

        checkAfter(s.after(), errors);

        JobFiles files = files(s.files(), errors);
        if (!files.needsPaths().isEmpty() && errors.isEmpty()) {
            Map<String, String> withPaths = new java.util.TreeMap<>(requires);
            withPaths.putAll(SharedPaths.labels(files.needsPaths()));
            requires = withPaths;
        }

        Long disk = null;
        if (s.disk() != null) {
            try {
                disk = Sizes.parse(s.disk());
                if (disk < MIN_DISK) errors.add(new FieldError("disk", "must be at least 1M, got " + s.disk()));
                else if (disk > MAX_DISK) errors.add(new FieldError("disk", "must be at most 64T, got " + s.disk()));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("disk", e.getMessage()));
            }
        }

        String network = NETWORK_HOST;
        if (s.network() != null) {
            network = s.network();
            if (!network.equals(NETWORK_HOST) && !network.equals(NETWORK_NONE))
                errors.add(new FieldError(
                        "network",
                        "'" + abbreviate(network) + "' is not a network: host (the desk's) or none (loopback only)"));
        }

        int gpus = 0;
        if (s.gpus() != null) {
            gpus = s.gpus();
            if (gpus < 0 || gpus > MAX_GPUS)
                errors.add(new FieldError("gpus", "must be between 0 and " + MAX_GPUS + ", got " + gpus));
        }

        if (!errors.isEmpty()) return new Result(List.of(), List.copyOf(errors));

        List<JobSpec> specs = new ArrayList<>(count);
        String effectiveName = name != null ? name : defaultName(command.get(0));
        boolean hasIndex = containsIndex(command);
        List<String> shared = List.copyOf(command);
        for (int i = firstIndex; i < firstIndex + count; i++) {
            String idx = Integer.toString(i);
            // Without {index} every instance shares one immutable list: count=10000 costs no copies.
            List<String> cmd = !hasIndex
                    ? shared
                    : command.stream().map(a -> a.replace("{index}", idx)).toList();
            specs.add(new JobSpec(
                    effectiveName,
                    cmd,
                    cpuMillis,
                    memory,
                    runtime,
                    priority,
                    env,
                    i,
                    maxAttempts,
                    checkpointEvery,
                    checkpointExitCode,
                    requires,
                    secretEnv,
                    files,
                    disk,
                    network,
                    gpus));
        }
        return new Result(specs, List.of());
    }

    /**
     * Checks one of the variable maps ({@code env}, {@code secretEnv}) field by field: names a shell
     * would accept and not Cyphon's own, values present, not too long and without NUL (no process
     * environment can hold a NUL: the job could never have started with it). Error messages never
     * quote a value, so a secret's does not travel back in one.
     */
    private static Map<String, String> environment(Map<String, String> given, String field, List<FieldError> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        if (given == null) return out;
        if (given.size() > MAX_ENV)
            errors.add(new FieldError(field, "has " + given.size() + " variables; at most " + MAX_ENV));
        for (var e : given.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || !ENV_KEY.matcher(k).matches())
                errors.add(
                        new FieldError(field, "'" + abbreviate(String.valueOf(k)) + "' is not a valid variable name"));
            else if (k.startsWith("CYPHON_"))
                errors.add(new FieldError(field + "." + k, "CYPHON_ variables are set by Cyphon itself"));
            else if (v == null) errors.add(new FieldError(field + "." + k, "has no value"));
            else if (v.length() > MAX_ARG_LENGTH)
                errors.add(new FieldError(field + "." + k, "value is longer than " + MAX_ARG_LENGTH + " characters"));
            else if (v.indexOf('\0') >= 0)
                errors.add(new FieldError(
                        field + "." + k, "value contains a NUL character, which no environment can hold"));
            else out.put(k, v);
        }
        return out;
    }

    /** Input files of one job: a directory of many small files is sent as its files. */
    public static final int MAX_INPUTS = 10_000;
    /** Output patterns of one job. */
    public static final int MAX_OUTPUT_PATTERNS = 1000;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Checks the files field by field ({@code files.inputs[2].name}): every name a place inside the
     * working directory and none inside another (a file cannot also be a directory), every upload
     * named by a SHA-256, every link on a shared path the job needs, every pattern inside the
     * working directory. Whether the uploads are really held is the coordinator's to check.
     */
    private static JobFiles files(JobFiles given, List<FieldError> errors) {
        if (given == null) return JobFiles.NONE;
        int before = errors.size();
        List<String> needs = given.needsPaths();
        if (needs.size() > SharedPaths.MAX_PATHS)
            errors.add(new FieldError(
                    "files.needsPaths", "has " + needs.size() + " paths; at most " + SharedPaths.MAX_PATHS));
        java.util.Set<String> seenPaths = new java.util.HashSet<>();
        for (int i = 0; i < needs.size(); i++) {
            String p = needs.get(i);
            String problem = SharedPaths.problem(p);
            if (problem != null) errors.add(new FieldError("files.needsPaths[" + i + "]", problem));
            else if (!seenPaths.add(p))
                errors.add(new FieldError("files.needsPaths[" + i + "]", p + " is listed twice"));
        }
        List<JobFiles.Input> inputs = given.inputs();
        if (inputs.size() > MAX_INPUTS)
            errors.add(new FieldError("files.inputs", "has " + inputs.size() + " files; at most " + MAX_INPUTS));
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < inputs.size() && errors.size() - before < 20; i++) {
            String field = "files.inputs[" + i + "]";
            JobFiles.Input in = inputs.get(i);
            if (in == null) {
                errors.add(new FieldError(field, "is null"));
                continue;
            }
            String problem = WorkDirNames.problem(in.name());
            if (problem != null) {
                errors.add(new FieldError(field + ".name", problem));
                continue;
            }
            if (!names.add(in.name())) {
                errors.add(new FieldError(field + ".name", "'" + in.name() + "' is given twice"));
                continue;
            }
            if (in.link() == null) {
                if (in.sha256() == null || !SHA256.matcher(in.sha256()).matches())
                    errors.add(new FieldError(
                            field + ".sha256", "must be 64 lower-case hex digits (the content's SHA-256)"));
                if (in.size() < 0) errors.add(new FieldError(field + ".size", "must be 0 or more"));
            } else {
                if (in.sha256() != null)
                    errors.add(
                            new FieldError(field, "give either sha256 (an upload) or link (shared storage), not both"));
                String linkProblem = SharedPaths.problem(in.link());
                if (linkProblem != null) errors.add(new FieldError(field + ".link", linkProblem));
                else if (needs.stream().noneMatch(root -> SharedPaths.under(in.link(), root)))
                    errors.add(new FieldError(
                            field + ".link",
                            in.link() + " is not on a shared path the job needs (add it to needsPaths)"));
            }
        }
        // A name inside another name: one of them would have to be both a file and a directory.
        for (String n : names) {
            for (int at = n.indexOf('/'); at > 0; at = n.indexOf('/', at + 1)) {
                if (names.contains(n.substring(0, at))) {
                    errors.add(new FieldError(
                            "files.inputs",
                            "'" + n.substring(0, at) + "' is a file, so '" + n + "' cannot be inside it"));
                    break;
                }
            }
        }
        List<String> outputs = given.outputs();
        if (outputs.size() > MAX_OUTPUT_PATTERNS)
            errors.add(new FieldError(
                    "files.outputs", "has " + outputs.size() + " patterns; at most " + MAX_OUTPUT_PATTERNS));
        for (int i = 0; i < outputs.size() && errors.size() - before < 20; i++) {
            String problem = OutputPattern.problem(outputs.get(i));
            if (problem != null) errors.add(new FieldError("files.outputs[" + i + "]", problem));
        }
        if (errors.size() > before) return JobFiles.NONE;
        return given.isEmpty() ? JobFiles.NONE : given;
    }

    /** Jobs one submission may run after: a DAG node rarely has more than a handful of parents. */
    public static final int MAX_AFTER = 1000;

    private static void checkAfter(JobSubmission.After after, List<FieldError> errors) {
        if (after == null) return;
        if (after.ok().size() + after.any().size() > MAX_AFTER) {
            errors.add(new FieldError("after", "names more than " + MAX_AFTER + " jobs"));
            return;
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (var list : List.of(after.ok(), after.any())) {
            String field = list == after.ok() ? "after.ok" : "after.any";
            for (Long id : list) {
                if (id == null || id < 1) errors.add(new FieldError(field, "'" + id + "' is not a job id"));
                else if (!seen.add(id)) errors.add(new FieldError(field, "job " + id + " is listed twice"));
            }
        }
    }

    private static boolean containsIndex(List<String> command) {
        return command.stream().anyMatch(a -> a.contains("{index}"));
    }

    /** The program's base name, cleaned to a valid job name: "/usr/bin/python3" -> "python3". */
    static String defaultName(String program) {
        String base = program.substring(program.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._:+@-]", "_");
        if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) base = "job" + base;
        return base.length() > 128 ? base.substring(0, 128) : base;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
