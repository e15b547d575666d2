package org.cyphon.core.machine;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Machine labels and the requirements jobs state against them ({@code os=linux}, {@code gpu=nvidia},
 * {@code room=b12}). One set of rules for both sides, so every label a job can require is one a
 * machine can carry: keys are short identifiers, values short words, both case-sensitive.
 */
public final class Labels {
    public static final int MAX_LABELS = 32;
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_.-]{0,31}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:+-]{0,63}");

    private Labels() {}

    /** What is wrong with this label, or null when it is fine. */
    public static String problem(String key, String value) {
        if (key == null || !KEY.matcher(key).matches()) {
            return "label name '" + key
                    + "' is not valid (lower-case letters, digits and _.-, starting with a letter, at most 32)";
        }
        if (value == null || !VALUE.matcher(value).matches()) {
            return "label " + key + ": value '" + value
                    + "' is not valid (letters, digits and _.:+-, starting with a letter or digit, at most 64)";
        }
        return null;
    }

    /** The first problem of a whole set, or null. */
    public static String problem(Map<String, String> labels) {
        if (labels == null) return null;
        if (labels.size() > MAX_LABELS) return labels.size() + " labels; at most " + MAX_LABELS;
        for (var e : labels.entrySet()) {
            String p = problem(e.getKey(), e.getValue());
            if (p != null) return p;
        }
        return null;
    }

    /**
     * Parses {@code k=v} arguments (CLI options, config lines) into a sorted map.
     *
     * @throws IllegalArgumentException naming the first bad argument
     */
    public static Map<String, String> parse(List<String> pairs) {
        Map<String, String> out = new TreeMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + p + "' is not KEY=VALUE");
            String k = p.substring(0, eq).trim();
            String v = p.substring(eq + 1).trim();
            String problem = problem(k, v);
            if (problem != null) throw new IllegalArgumentException(problem);
            out.put(k, v);
        }
        return out;
    }

    /** The labels a machine carries: what its agent says, overridden by what admins set. */
    public static Map<String, String> merge(Map<String, String> fromAgent, Map<String, String> fromAdmin) {
        Map<String, String> out = new TreeMap<>();
        if (fromAgent != null) out.putAll(fromAgent);
        if (fromAdmin != null) out.putAll(fromAdmin);
        return out;
    }

    /** {@code k=v,k2=v2}, sorted, a shared path as "/srv/data mounted"; "-" when empty: for listings. */
    public static String show(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) return "-";
        StringBuilder b = new StringBuilder();
        for (var e : new TreeMap<>(labels).entrySet()) {
            if (!b.isEmpty()) b.append(',');
            b.append(e.getKey())
                    .append(SharedPaths.isPath(e.getKey()) ? ' ' : '=')
                    .append(e.getValue());
        }
        return b.toString();
    }
}
