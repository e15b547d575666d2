package org.cyphon.cli.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.core.protocol.JobSubmission;

/**
 * Reads a job description file ({@code cyphon submit job.toml}; documented in docs/job-file.md)
 * into the {@link JobSubmission} the API takes.
 *
 * <p>This class checks the file's shape (known keys, types, sizes and durations that parse) and
 * names the file and key in every message. It does not check ranges or expand {@code count}: the
 * coordinator does both with core {@code JobSpecs}, so the file means exactly what the equivalent
 * flags mean.
 */
public final class JobFile {
    private static final String KNOWN_KEYS =
            "name, command, executable, arguments, cpus, memory, runtime, priority, count, max_attempts, checkpoint_every, "
                    + "checkpoint_exit_code, env, secrets, requires, files, disk, network, gpus";
    private static final TomlMapper TOML = new TomlMapper();

    private JobFile() {}

    /**
     * @throws InvalidInput naming the file and key when the file is missing, not TOML, or wrong
     */
    public static JobSubmission read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInput(file + ": no such job file");
        } catch (IOException e) {
            throw new InvalidInput(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Parses the text of a job file; {@code source} names it in messages. */
    public static JobSubmission parse(String source, String text) {
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String line = at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ")" : "";
            throw new InvalidInput(source + ": not valid TOML" + line + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new InvalidInput(source + ": empty job file: set at least command");

        String name = null;
        List<String> command = null;
        String executable = null;
        List<String> arguments = null;
        Double cpus = null;
        String memory = null;
        String runtime = null;
        Integer priority = null;
        Integer count = null;
        Integer maxAttempts = null;
        String checkpointEvery = null;
        Integer checkpointExitCode = null;
        Map<String, String> env = null;
        Map<String, String> requires = null;
        Map<String, String> secrets = null;
        String disk = null;
        String network = null;
        Integer gpus = null;

        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String where = source + ": " + key;
            switch (key) {
                case "name" -> name = string(where, v);
                case "command" -> command = strings(where, v);
                case "executable" -> executable = string(where, v);
                case "arguments" -> arguments = strings(where, v);
                case "cpus" -> {
                    if (!v.isNumber()) throw new InvalidInput(where + ": must be a number, like 2 or 0.5");
                    cpus = v.asDouble();
                }
                case "memory" ->
                    memory = Quantities.checkSize(
                            where,
                            v.isIntegralNumber() ? v.asText() : string(where + " (a size like \"512M\", or bytes)", v));
                case "runtime" ->
                    runtime = Quantities.checkDuration(
                            where,
                            v.isIntegralNumber()
                                    ? v.asText()
                                    : string(where + " (a duration like \"2h\", or seconds)", v));
                case "priority" -> priority = integer(where, v);
                case "count" -> count = integer(where, v);
                case "max_attempts" -> maxAttempts = integer(where, v);
                case "checkpoint_every" ->
                    checkpointEvery = Quantities.checkCheckpointEvery(
                            where,
                            v.isIntegralNumber()
                                    ? v.asText()
                                    : string(where + " (a duration like \"30m\", \"auto\", or seconds)", v));
                case "checkpoint_exit_code" -> checkpointExitCode = integer(where, v);
                case "env" -> env = environment(where, v);
                case "secrets" -> secrets = environment(where, v);
                case "requires" -> requires = Quantities.checkLabels(where, environment(where, v));
                case "files" -> {
                    var unused = filesTable(where, v); // read by files(); checked here with the rest
                }
                case "disk" ->
                    disk = Quantities.checkSize(
                            where,
                            v.isIntegralNumber() ? v.asText() : string(where + " (a size like \"20G\", or bytes)", v));
                case "network" ->
                    network = Quantities.checkNetwork(where, string(where + " (\"host\" or \"none\")", v));
                case "gpus" -> gpus = integer(where, v);
                default ->
                    throw new InvalidInput(source + ": unknown key '" + key + "' (known keys: " + KNOWN_KEYS + ")");
            }
        }

        if (command != null && (executable != null || arguments != null)) {
            throw new InvalidInput(source + ": command: give either command or executable + arguments, not both");
        }
        if (command == null) {
            if (executable == null) {
                String why = arguments != null ? "arguments needs executable" : "no command";
                throw new InvalidInput(source + ": command: " + why
                        + ": set command = [\"program\", \"arg\", ...] or executable = \"program\"");
            }
            command = new ArrayList<>();
            command.add(executable);
            if (arguments != null) command.addAll(arguments);
        }
        if (command.isEmpty())
            throw new InvalidInput(source + ": command: is empty: give the program to run and its arguments");

        return JobSubmission.builder()
                .name(name)
                .command(List.copyOf(command))
                .cpus(cpus)
                .memory(memory)
                .runtime(runtime)
                .priority(priority)
                .env(env)
                .count(count)
                .maxAttempts(maxAttempts)
                .checkpointEvery(checkpointEvery)
                .checkpointExitCode(checkpointExitCode)
                .requires(requires)
                .secretEnv(secrets)
                .disk(disk)
                .network(network)
                .gpus(gpus)
                // no files: they are sent and attached just before the submit (LocalFiles.sendAll)
                .build();
    }

    /** {@code [files]} as written: the inputs (paths), output patterns and shared paths. */
    public record FilesTable(List<String> input, List<String> output, List<String> needsPaths) {}

    private static final String FILES_KEYS = "input, output, needs_paths";

    /**
     * The job file's {@code [files]} table, resolved: inputs relative to the job file's directory,
     * each checked (it exists, is a file or directory, names a place in the working directory),
     * patterns and shared paths checked.
     *
     * @throws InvalidInput naming the file and key
     */
    public static LocalFiles files(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInput(file + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidInput(file + ": not valid TOML: " + e.getOriginalMessage());
        }
        JsonNode t = root == null ? null : root.get("files");
        if (t == null) return LocalFiles.NONE;
        String where = file + ": files";
        FilesTable f = filesTable(where, t);
        Path base = file.toAbsolutePath().getParent();
        return new LocalFiles(
                LocalInputs.resolve(f.input(), base, where + ".input"),
                LocalInputs.checkOutputs(f.output(), where + ".output"),
                LocalInputs.checkSharedPaths(f.needsPaths(), where + ".needs_paths"));
    }

    private static FilesTable filesTable(String where, JsonNode v) {
        if (!v.isObject())
            throw new InvalidInput(where + ": must be a table: [files] followed by input = [...], output = [...]");
        List<String> input = List.of();
        List<String> output = List.of();
        List<String> needs = List.of();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = where + "." + e.getKey();
            switch (e.getKey()) {
                case "input" -> input = stringList(key, e.getValue());
                case "output" -> output = stringList(key, e.getValue());
                case "needs_paths" -> needs = stringList(key, e.getValue());
                default ->
                    throw new InvalidInput(
                            where + ": unknown key '" + e.getKey() + "' (known keys: " + FILES_KEYS + ")");
            }
        }
        return new FilesTable(input, output, needs);
    }

    /** An array of strings, or one string. */
    private static List<String> stringList(String where, JsonNode v) {
        if (v.isTextual()) return List.of(v.asText());
        if (!v.isArray())
            throw new InvalidInput(where + ": must be an array of strings, like [\"data.csv\", \"lib/\"]");
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) throw new InvalidInput(where + "[" + i + "]: must be a string");
            out.add(v.get(i).asText());
        }
        return out;
    }

    private static String string(String where, JsonNode v) {
        if (!v.isTextual()) throw new InvalidInput(where + ": must be a string");
        return v.asText();
    }

    private static List<String> strings(String where, JsonNode v) {
        if (!v.isArray())
            throw new InvalidInput(where + ": must be an array of strings, like [\"python3\", \"run.py\"]");
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            // Numbers are allowed as arguments because "[\"sleep\", 60]" is what people write.
            if (item.isTextual() || item.isNumber()) out.add(item.asText());
            else throw new InvalidInput(where + "[" + i + "]: must be a string");
        }
        return out;
    }

    private static Integer integer(String where, JsonNode v) {
        if (!v.isIntegralNumber()) throw new InvalidInput(where + ": must be a whole number");
        if (!v.canConvertToInt()) throw new InvalidInput(where + ": " + v.asText() + " is out of range");
        return v.intValue();
    }

    private static Map<String, String> environment(String where, JsonNode v) {
        if (!v.isObject())
            throw new InvalidInput(where + ": must be a table: [env] followed by NAME = \"value\" lines");
        Map<String, String> env = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (!value.isValueNode() || value.isNull())
                throw new InvalidInput(where + "." + e.getKey() + ": must be a string");
            env.put(e.getKey(), value.asText());
        }
        return env;
    }
}
