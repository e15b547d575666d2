package org.cyphon.cli.condor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyphon.cli.client.InvalidInput;

/**
 * Reads an HTCondor submit description file ({@code cyphon submit job.sub}) into {@link CondorJob}s,
 * all or nothing: any line Cyphon does not understand is an error naming the file, the line and
 * the command, and nothing is submitted.
 *
 * <p>The language as HTCondor's manual describes it, for the commands that matter on a desktop
 * pool: {@code command = value} lines (names ignore case; a line ending in a backslash continues
 * on the next; {@code #} starts a comment line) set values that the {@code queue} statements below
 * them turn into jobs, each with its macros expanded then: {@code $(Process)} counts every job of
 * the file from 0, {@code $(Cluster)} is the id of the first job (known only once stored, so it
 * travels as {@code {cluster}}), {@code $(ItemIndex)} and {@code $(Step)} number the items of a
 * {@code queue ... in/from/matching} and the copies of each, {@code $(Item)} or the statement's own
 * variable names hold each item, and any command's value can be used as {@code $(command)}.
 * Commands set after a queue apply to the queues after it.
 */
public final class SubmitFile {
    /** The jobs one submit file may make: the coordinator's limit for one submission. */
    public static final int MAX_JOBS = org.cyphon.core.job.JobSpecs.MAX_COUNT;

    static final Set<String> COMMANDS = Set.of(
            "executable",
            "arguments",
            "environment",
            "request_cpus",
            "request_memory",
            "request_disk",
            "request_gpus",
            "transfer_input_files",
            "transfer_output_files",
            "should_transfer_files",
            "when_to_transfer_output",
            "output",
            "error",
            "log",
            "priority",
            "checkpoint_exit_code",
            "requirements",
            "universe",
            "+maxruntime");

    private static final Pattern ASSIGN = Pattern.compile("([+A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*)", Pattern.DOTALL);
    private static final Pattern QUEUE = Pattern.compile("(?i)queue(?:\\s+(.*))?");
    private static final Pattern KEYWORD = Pattern.compile("(?i)(?:^|\\s)(in|from|matching)(?=\\s|\\(|$)");
    private static final Pattern VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern FUNCTION = Pattern.compile("\\$\\$?[A-Za-z_]*\\(");

    private final String source;
    private final Path baseDir;
    private final List<Line> lines;
    /** The commands set so far (lower-case name), each with the line that set it. */
    private final Map<String, Setting> settings = new LinkedHashMap<>();

    private final List<CondorJob> jobs = new ArrayList<>();

    private record Line(int no, String text) {}

    /** A command's raw value and where it was set, so expansion errors point at that line. */
    record Setting(String value, int line) {}

    private SubmitFile(String source, String text, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir;
        this.lines = logicalLines(text);
    }

    /**
     * @param baseDir where {@code queue ... from FILE} and {@code matching} look (condor_submit's
     *                working directory)
     * @throws InvalidInput naming the file and line when anything in it is not understood
     */
    public static List<CondorJob> read(Path file, Path baseDir) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInput(file + ": no such submit file");
        } catch (IOException e) {
            throw new InvalidInput(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text, baseDir);
    }

    /** Parses submit file text; {@code source} names it in messages. */
    public static List<CondorJob> parse(String source, String text, Path baseDir) {
        return new SubmitFile(source, text, baseDir).run();
    }

    private List<CondorJob> run() {
        int lastQueue = -1;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            Matcher q = QUEUE.matcher(l.text());
            if (q.matches()) {
                i = queue(q.group(1) == null ? "" : q.group(1).strip(), i);
                lastQueue = i;
                continue;
            }
            Matcher a = ASSIGN.matcher(l.text());
            if (!a.matches())
                throw error(l.no(), "'" + l.text() + "' is neither 'command = value' nor a queue statement");
            set(a.group(1), a.group(2).strip(), l.no());
        }
        if (jobs.isEmpty() && lastQueue < 0)
            throw new InvalidInput(
                    source + ": no queue statement: nothing would be submitted (end the file with 'queue')");
        if (lastQueue < lines.size() - 1)
            throw error(
                    lines.get(lastQueue + 1).no(),
                    "commands after the last queue statement would apply to no job; move them above it");
        return List.copyOf(jobs);
    }

    private void set(String rawName, String value, int line) {
        String name = rawName.toLowerCase(Locale.ROOT);
        if (name.startsWith("my.")) name = "+" + name.substring(3);
        if (!COMMANDS.contains(name)) {
            String what =
                    name.startsWith("+") ? "custom attribute '" + rawName + "'" : "submit command '" + rawName + "'";
            throw error(
                    line,
                    "Cyphon does not understand the " + what + " (it knows executable, arguments, environment, "
                            + "request_cpus, request_memory, request_disk, request_gpus, transfer_input_files, "
                            + "transfer_output_files, should_transfer_files, when_to_transfer_output, output, error, "
                            + "log, priority, checkpoint_exit_code, "
                            + "requirements, universe = vanilla and +MaxRuntime)");
        }
        if (value.contains("{cluster}") || value.contains("{index}"))
            throw error(
                    line,
                    rawName
                            + ": '{cluster}' and '{index}' are Cyphon's own placeholders; use $(Cluster) and $(Process)");
        Matcher f = FUNCTION.matcher(value);
        while (f.find()) {
            if (!f.group().equals("$(")) {
                throw error(
                        line,
                        rawName + ": '" + f.group() + "...)' is not supported (only $(name) macros are: Process, "
                                + "Cluster, ItemIndex, Step, Item, the queue's variables and other commands)");
            }
        }
        if (name.equals("should_transfer_files") && !value.matches("(?i)YES|NO|IF_NEEDED"))
            throw error(line, "should_transfer_files = " + value + ": must be YES, NO or IF_NEEDED");
        // Cyphon keeps outputs at exit and at every checkpoint: ON_EXIT_OR_EVICT's behaviour, which
        // covers ON_EXIT's.
        if (name.equals("when_to_transfer_output") && !value.matches("(?i)ON_EXIT|ON_EXIT_OR_EVICT"))
            throw error(line, "when_to_transfer_output = " + value + ": must be ON_EXIT or ON_EXIT_OR_EVICT");
        if (name.equals("universe") && !value.equalsIgnoreCase("vanilla"))
            throw error(line, "universe = " + value + ": Cyphon runs only vanilla-universe jobs");
        settings.put(name, new Setting(value, line));
    }

    /** @return the index of the statement's last line (a multi-line item list ends later) */
    private int queue(String args, int at) {
        int line = lines.get(at).no();
        Matcher k = KEYWORD.matcher(args);
        if (!k.find()) {
            int count = args.isEmpty() ? 1 : count(args, line);
            emit(List.of("Item"), List.of(List.of()), count, line);
            return at;
        }
        String head = args.substring(0, k.start()).strip();
        String keyword = k.group(1).toLowerCase(Locale.ROOT);
        String rest = args.substring(k.end()).strip();
        int count = 1;
        String varText = head;
        Matcher n = Pattern.compile("(\\d+)\\s*(.*)").matcher(head);
        if (n.matches()) {
            count = count(n.group(1), line);
            varText = n.group(2);
        }
        List<String> vars = new ArrayList<>();
        for (String v : varText.split("[,\\s]+")) {
            if (v.isEmpty()) continue;
            if (!VAR.matcher(v).matches()) throw error(line, "queue: '" + v + "' is not a variable name");
            vars.add(v);
        }
        if (vars.isEmpty()) vars.add("Item");
        if (rest.startsWith("["))
            throw error(line, "queue: slices ([start:end]) are not supported; list the items you want");
        List<String> block = null;
        int end = at;
        if (rest.startsWith("(") && !keyword.equals("matching")) {
            block = new ArrayList<>();
            String first = rest.substring(1);
            if (first.contains(")")) {
                block.add(first.substring(0, first.indexOf(')')));
            } else {
                if (!first.isBlank()) block.add(first);
                while (true) {
                    end++;
                    if (end >= lines.size()) throw error(line, "queue: the item list opened with '(' is never closed");
                    String t = lines.get(end).text();
                    if (t.contains(")")) {
                        String before = t.substring(0, t.indexOf(')'));
                        if (!before.isBlank()) block.add(before);
                        break;
                    }
                    block.add(t);
                }
            }
        }
        List<List<String>> items = switch (keyword) {
            case "in" -> inItems(vars, block == null ? List.of(rest) : block, line);
            case "from" -> fromItems(vars, block == null ? fromFile(rest, line) : block);
            default -> matchingItems(vars, rest, line);
        };
        if (items.isEmpty()) throw error(line, "queue: the item list is empty: nothing would be submitted");
        emit(vars, items, count, line);
        return end;
    }

    private List<List<String>> inItems(List<String> vars, List<String> text, int line) {
        if (vars.size() > 1) throw error(line, "queue ... in takes one variable; use 'from' for several");
        List<List<String>> out = new ArrayList<>();
        for (String t : text) for (String item : t.split("[,\\s]+")) if (!item.isEmpty()) out.add(List.of(item));
        return out;
    }

    /** One item per line; with several variables, fields split at commas or spaces, the last taking the rest. */
    private static List<List<String>> fromItems(List<String> vars, List<String> text) {
        List<List<String>> out = new ArrayList<>();
        for (String t : text) {
            String s = t.strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            out.add(List.of(s.split("\\s*[,\\s]\\s*", vars.size())));
        }
        return out;
    }

    private List<String> fromFile(String name, int line) {
        if (name.isEmpty()) throw error(line, "queue ... from: no file or '(' item list given");
        Path p = baseDir.resolve(name);
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw error(
                    line,
                    "queue ... from " + name + ": cannot read " + p + " ("
                            + e.getClass().getSimpleName() + ")");
        }
    }

    private List<List<String>> matchingItems(List<String> vars, String rest, int line) {
        if (vars.size() > 1) throw error(line, "queue ... matching takes one variable");
        List<String> words = new ArrayList<>(List.of(rest.split("[,\\s]+")));
        words.removeIf(String::isEmpty);
        String kind = "any";
        if (!words.isEmpty()
                && (words.get(0).equalsIgnoreCase("files") || words.get(0).equalsIgnoreCase("dirs")))
            kind = words.remove(0).toLowerCase(Locale.ROOT);
        if (words.isEmpty()) throw error(line, "queue ... matching: no pattern given");
        List<List<String>> out = new ArrayList<>();
        for (String glob : words) {
            if (glob.contains("/"))
                throw error(line, "queue ... matching " + glob + ": patterns match names in one directory");
            var matcher = baseDir.getFileSystem().getPathMatcher("glob:" + glob);
            List<String> found = new ArrayList<>();
            try (var s = Files.list(baseDir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    boolean dir = Files.isDirectory(p);
                    if ((kind.equals("files") && dir) || (kind.equals("dirs") && !dir)) continue;
                    if (matcher.matches(p.getFileName()))
                        found.add(p.getFileName().toString());
                }
            } catch (IOException e) {
                throw error(line, "queue ... matching: cannot list " + baseDir + ": " + e.getMessage());
            }
            if (found.isEmpty()) throw error(line, "queue ... matching " + glob + ": matches nothing in " + baseDir);
            found.sort(null);
            for (String f : found) out.add(List.of(f));
        }
        return out;
    }

    private int count(String text, int line) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= MAX_JOBS) return n;
        } catch (NumberFormatException e) {
            // named below
        }
        throw error(
                line,
                "queue: '" + text + "' is not a count from 1 to " + MAX_JOBS
                        + " (or the form is not one of: queue N; queue [N] [VAR] in/from/matching ...)");
    }

    private void emit(List<String> vars, List<List<String>> items, int count, int line) {
        if (!settings.containsKey("executable"))
            throw error(line, "queue: no executable set above this queue statement");
        if ((long) jobs.size() + (long) items.size() * count > MAX_JOBS)
            throw error(
                    line,
                    "queue: the file makes more than " + MAX_JOBS + " jobs; Cyphon takes at most " + MAX_JOBS
                            + " per submit");
        for (int itemIndex = 0; itemIndex < items.size(); itemIndex++) {
            List<String> item = items.get(itemIndex);
            for (int step = 0; step < count; step++) {
                Map<String, String> macros = new LinkedHashMap<>();
                int process = jobs.size();
                macros.put("process", Integer.toString(process));
                macros.put("procid", Integer.toString(process));
                macros.put("cluster", "{cluster}");
                macros.put("clusterid", "{cluster}");
                macros.put("itemindex", Integer.toString(itemIndex));
                macros.put("row", Integer.toString(itemIndex));
                macros.put("step", Integer.toString(step));
                for (int v = 0; v < vars.size(); v++)
                    macros.put(vars.get(v).toLowerCase(Locale.ROOT), v < item.size() ? item.get(v) : "");
                jobs.add(new JobBuilder(source, settings, macros, baseDir).build(process));
            }
        }
    }

    private InvalidInput error(int line, String message) {
        return new InvalidInput(source + ":" + line + ": " + message);
    }

    /** Lines with continuations joined and comments and blanks dropped, each with its first line's number. */
    private static List<Line> logicalLines(String text) {
        List<Line> out = new ArrayList<>();
        String[] raw = text.split("\\R", -1);
        StringBuilder cur = null;
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            String t = raw[i].strip();
            if (cur == null) {
                if (t.isEmpty() || t.startsWith("#")) continue;
                cur = new StringBuilder();
                start = i + 1;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            cur.append(t);
            out.add(new Line(start, cur.toString().strip()));
            cur = null;
        }
        if (cur != null) out.add(new Line(start, cur.toString().strip()));
        return out;
    }
}
