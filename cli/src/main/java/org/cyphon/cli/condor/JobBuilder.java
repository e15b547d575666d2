package org.cyphon.cli.condor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyphon.cli.client.InvalidInput;

/**
 * One job from the commands set so far and one queue entry's macros: expands every value, then
 * reads each command's value in HTCondor's units and syntax.
 */
final class JobBuilder {
    private static final int MAX_DEPTH = 16;
    private static final Pattern MACRO = Pattern.compile("\\$\\(([A-Za-z_+][A-Za-z0-9_.]*)(?::([^)]*))?\\)");
    /** A number with an optional unit: HTCondor's sizes ("2048", "2 GB", "512M"). */
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?B?)?", Pattern.CASE_INSENSITIVE);

    private final String source;
    private final Map<String, SubmitFile.Setting> settings;
    private final Map<String, String> macros;
    /** Where relative input files are: condor_submit's working directory. */
    private final Path baseDir;

    JobBuilder(String source, Map<String, SubmitFile.Setting> settings, Map<String, String> macros, Path baseDir) {
        this.source = source;
        this.settings = settings;
        this.macros = macros;
        this.baseDir = baseDir;
    }

    CondorJob build(int process) {
        String executable = value("executable");
        if (executable.isEmpty()) throw error("executable", "is empty");
        List<String> sent = new ArrayList<>();
        List<String> command = new ArrayList<>();
        if (executable.startsWith("/")) {
            command.add(executable);
        } else {
            // As HTCondor does: a relative executable is sent with the job and run from its working directory.
            if (noTransfer())
                throw error(
                        "executable",
                        "'" + executable + "' is a relative path, which would have to be sent with the job, but"
                                + " should_transfer_files = NO: give the program's absolute path on the desks");
            Path local = baseDir.resolve(executable).normalize();
            if (!Files.isRegularFile(local))
                throw error("executable", "'" + executable + "': no such file (" + local + ")");
            sent.add(local.toString());
            command.add("./" + local.getFileName());
        }
        if (settings.containsKey("arguments")) {
            try {
                command.addAll(QuotedWords.arguments(value("arguments")));
            } catch (IllegalArgumentException e) {
                throw error("arguments", e.getMessage());
            }
        }
        Map<String, String> env = Map.of();
        if (settings.containsKey("environment")) {
            try {
                env = QuotedWords.environment(value("environment"));
            } catch (IllegalArgumentException e) {
                throw error("environment", e.getMessage());
            }
        }
        Map<String, String> requires = Map.of();
        if (settings.containsKey("requirements")) {
            try {
                requires = Requirements.parse(value("requirements"));
            } catch (IllegalArgumentException e) {
                throw error("requirements", e.getMessage());
            }
        }
        Integer cpus = integer("request_cpus", 1);
        Long memoryMib = size("request_memory", 1);
        Long diskKib = size("request_disk", 1024);
        Integer gpus = integer("request_gpus", 0);
        Integer maxRuntime = integer("+maxruntime", 1);
        CondorJob.StdFiles files = new CondorJob.StdFiles(optional("output"), optional("error"), optional("log"));
        List<String> inputs = list("transfer_input_files");
        if (!inputs.isEmpty() && noTransfer())
            throw error("transfer_input_files", "names files, but should_transfer_files = NO says none are sent");
        for (String in : inputs) {
            // A directory keeps its trailing slash: HTCondor sends its contents alone then.
            String resolved = baseDir.resolve(in).normalize().toString();
            sent.add(in.endsWith("/") ? resolved + "/" : resolved);
        }
        List<String> outputs = new ArrayList<>();
        for (String out : list("transfer_output_files")) {
            String problem = org.cyphon.core.job.OutputPattern.problem(out);
            if (problem != null) throw error("transfer_output_files", "'" + out + "': " + problem);
            outputs.add(out);
        }
        return new CondorJob(
                process,
                command,
                env,
                cpus == null ? null : cpus.doubleValue(),
                memoryMib == null ? null : memoryMib + "M",
                maxRuntime == null ? null : maxRuntime + "s",
                integer("priority", Integer.MIN_VALUE),
                integer("checkpoint_exit_code", 1),
                requires,
                files,
                new CondorJob.Transfer(sent, outputs),
                // request_disk is in KiB, and so is the size Cyphon is sent: no rounding on the way.
                diskKib == null ? null : diskKib + "K",
                gpus);
    }

    /** {@code should_transfer_files = NO}: the job relies on shared storage alone. */
    private boolean noTransfer() {
        return settings.containsKey("should_transfer_files")
                && value("should_transfer_files").equalsIgnoreCase("NO");
    }

    private String optional(String name) {
        return settings.containsKey(name) ? value(name) : null;
    }

    private List<String> list(String name) {
        List<String> out = new ArrayList<>();
        if (!settings.containsKey(name)) return out;
        for (String f : value(name).split(",")) if (!f.isBlank()) out.add(f.strip());
        return out;
    }

    private Integer integer(String name, int min) {
        if (!settings.containsKey(name)) return null;
        String v = value(name);
        try {
            int n = Integer.parseInt(v);
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // named below
        }
        throw error(
                name,
                "'" + v + "' is not a whole number" + (min > Integer.MIN_VALUE ? " of at least " + min : "")
                        + " (Cyphon does not evaluate expressions here)");
    }

    /**
     * A size in the command's own unit, rounded up: request_memory counts MiB, request_disk KiB
     * (HTCondor's defaults when no unit is written).
     *
     * @param unitsPerMib 1 for MiB (request_memory), 1024 for KiB (request_disk)
     */
    private Long size(String name, long unitsPerMib) {
        if (!settings.containsKey(name)) return null;
        String v = value(name);
        Matcher m = SIZE.matcher(v);
        if (!m.matches())
            throw error(
                    name, "'" + v + "' is not a size (a number with an optional unit K, M, G or T, e.g. 2048 or 2GB)");
        double n = Double.parseDouble(m.group(1));
        String unit =
                m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT).substring(0, 1);
        double kib = switch (unit) {
            case "K" -> n;
            case "M" -> n * 1024;
            case "G" -> n * 1024 * 1024;
            case "T" -> n * 1024 * 1024 * 1024;
            default -> unitsPerMib == 1 ? n * 1024 : n; // no unit: MiB for memory, KiB for disk
        };
        if (kib <= 0) throw error(name, "must be more than 0");
        return unitsPerMib == 1 ? (long) Math.ceil(kib / 1024) : (long) Math.ceil(kib);
    }

    /** The command's value with every macro expanded. */
    private String value(String name) {
        return expand(name, settings.get(name).value(), 0);
    }

    private String expand(String command, String text, int depth) {
        if (depth > MAX_DEPTH) throw error(command, "macros refer to each other in a loop");
        Matcher m = MACRO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String v = macros.get(key);
            if (v == null && settings.containsKey(key))
                v = expand(command, settings.get(key).value(), depth + 1);
            if (v == null) v = m.group(2);
            if (v == null) {
                throw error(
                        command,
                        "$(" + m.group(1) + ") is not defined (Cyphon knows $(Process), $(Cluster), $(ItemIndex), "
                                + "$(Step), $(Item), the queue statement's variables and the commands set above)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        String s = out.toString();
        if (s.contains("$(")) throw error(command, "'" + s + "' has a $( that is not a macro Cyphon understands");
        return s;
    }

    private InvalidInput error(String command, String message) {
        SubmitFile.Setting s = settings.get(command);
        String at = s == null ? "" : s.line() + ": ";
        String name = command.equals("+maxruntime") ? "+MaxRuntime" : command;
        return new InvalidInput(source + ":" + at + name + ": " + message);
    }
}
