package org.cyphon.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cyphon.core.text.Durations;

/**
 * The {@code --name value} options of one benchmark, each declared with its default and a line of
 * help. Deliberately tiny (no picocli): a benchmark has a handful of knobs, and an unknown or
 * malformed one must stop the run before it starts processes, naming the option.
 */
final class BenchOptions {
    /** One knob. A default of {@code "false"} makes it a flag that takes no value. */
    record Option(String name, String defaultValue, String help) {
        boolean isFlag() {
            return "false".equals(defaultValue);
        }
    }

    /** Thrown for bad command lines; the message is for the user, the caller prints usage. */
    static final class UsageException extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final String benchmark;
    private final String summary;
    private final Map<String, Option> declared = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    private BenchOptions(String benchmark, String summary, List<Option> options) {
        this.benchmark = benchmark;
        this.summary = summary;
        for (Option o : options) declared.put(o.name(), o);
        declared.put("help", new Option("help", "false", "print this help"));
    }

    /**
     * Parses {@code args} or exits: with 0 after printing the usage for {@code --help}, with 2 and a
     * message naming the bad option otherwise (the same convention as the cyphon CLI).
     */
    static BenchOptions parseOrExit(String benchmark, String summary, List<Option> options, String[] args) {
        BenchOptions o = new BenchOptions(benchmark, summary, options);
        try {
            o.parse(args);
        } catch (UsageException e) {
            System.err.println("bench/run " + benchmark + ": " + e.getMessage());
            System.err.print(o.usage());
            System.exit(2);
        }
        if (o.flag("help")) {
            System.out.print(o.usage());
            System.exit(0);
        }
        return o;
    }

    private void parse(String[] args) throws UsageException {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option opt = declared.get(name);
            if (opt == null) throw new UsageException("unknown option '--" + name + "'");
            if (opt.isFlag()) {
                if (value != null) throw new UsageException("option '--" + name + "' takes no value");
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.length) throw new UsageException("option '--" + name + "' needs a value");
                value = args[++i];
            }
            values.put(name, value);
        }
    }

    String usage() {
        StringBuilder sb =
                new StringBuilder("usage: bench/run " + benchmark + " [options]\n" + summary + "\n\noptions:\n");
        int width = declared.values().stream()
                .mapToInt(o -> o.name().length() + (o.isFlag() ? 0 : 8))
                .max()
                .orElse(10);
        for (Option o : declared.values()) {
            String left = "--" + o.name() + (o.isFlag() ? "" : " VALUE");
            String dflt = o.isFlag() || o.defaultValue().isEmpty() ? "" : " (default: " + o.defaultValue() + ")";
            sb.append(String.format(Locale.ROOT, "  %-" + (width + 4) + "s %s%s%n", left, o.help(), dflt));
        }
        return sb.toString();
    }

    String string(String name) {
        Option o = declared.get(name);
        if (o == null) throw new IllegalArgumentException("option not declared: " + name); // a bug in the benchmark
        return values.getOrDefault(name, o.defaultValue());
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(string(name));
    }

    int positiveInt(String name) {
        try {
            int v = Integer.parseInt(string(name).replace("_", "").replace(",", ""));
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw usageError(name, "a positive whole number");
        }
    }

    int nonNegativeInt(String name) {
        try {
            int v = Integer.parseInt(string(name).replace("_", "").replace(",", ""));
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw usageError(name, "a whole number >= 0");
        }
    }

    double positiveDouble(String name) {
        try {
            double v = Double.parseDouble(string(name));
            if (!(v > 0) || Double.isInfinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw usageError(name, "a positive number");
        }
    }

    Duration duration(String name) {
        try {
            Duration d = Durations.parse(string(name));
            if (d.isZero() || d.isNegative()) throw new IllegalArgumentException();
            return d;
        } catch (IllegalArgumentException e) {
            throw usageError(name, "a positive duration such as 500ms, 10s, 2m");
        }
    }

    String oneOf(String name, String... allowed) {
        String v = string(name);
        for (String a : allowed) if (a.equals(v)) return v;
        throw usageError(name, "one of " + String.join(", ", allowed));
    }

    /** A value that parsed as the wrong kind: report it like a usage error and stop. */
    private RuntimeException usageError(String name, String expected) {
        System.err.println("bench/run " + benchmark + ": option '--" + name + "' must be " + expected + ", got '"
                + string(name) + "'");
        System.exit(2);
        return new IllegalStateException("unreachable");
    }
}
