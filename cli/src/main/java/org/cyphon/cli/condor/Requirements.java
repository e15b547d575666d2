package org.cyphon.cli.condor;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyphon.core.machine.Labels;

/**
 * {@code requirements} of the one form Cyphon's labels can express: a conjunction of
 * {@code (Attr == "value")} terms. {@code OpSys} and {@code Arch} become the labels every agent
 * reports ({@code os}, {@code arch}, with HTCondor's values translated: {@code LINUX} is
 * {@code linux}, {@code X86_64} is {@code x86_64}); any other attribute names a label, lower-cased,
 * compared exactly (HTCondor compares strings ignoring case; labels do not). Anything else
 * ({@code ||}, {@code !=}, numbers, functions) is refused with the term that is not understood.
 */
final class Requirements {
    private static final Pattern TERM = Pattern.compile(
            "\\(?\\s*(?:TARGET\\.)?([A-Za-z_][A-Za-z0-9_.]*)\\s*==\\s*\"([^\"]*)\"\\s*\\)?", Pattern.CASE_INSENSITIVE);

    private Requirements() {}

    /** @throws IllegalArgumentException naming the term that is not understood */
    static Map<String, String> parse(String expr) {
        Map<String, String> out = new TreeMap<>();
        String e = expr.strip();
        if (e.startsWith("(") && e.endsWith(")") && balancedInside(e)) e = e.substring(1, e.length() - 1);
        for (String term : e.split("&&")) {
            Matcher m = TERM.matcher(term.strip());
            if (!m.matches() || unbalanced(term))
                throw new IllegalArgumentException("'" + term.strip()
                        + "' is not understood: Cyphon takes only (Attr == \"value\") terms joined by &&");
            String attr = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2);
            String key;
            switch (attr) {
                case "opsys" -> {
                    key = "os";
                    value = value.equalsIgnoreCase("OSX") ? "macos" : value.toLowerCase(Locale.ROOT);
                }
                case "arch" -> {
                    key = "arch";
                    value = value.equalsIgnoreCase("ARM64") ? "aarch64" : value.toLowerCase(Locale.ROOT);
                }
                default -> key = attr;
            }
            String problem = Labels.problem(key, value);
            if (problem != null) throw new IllegalArgumentException("'" + term.strip() + "': " + problem);
            String before = out.put(key, value);
            if (before != null && !before.equals(value))
                throw new IllegalArgumentException(
                        "asks " + key + " to be both '" + before + "' and '" + value + "': no machine can");
        }
        return out;
    }

    private static boolean unbalanced(String term) {
        String t = term.strip();
        return t.startsWith("(") != t.endsWith(")");
    }

    /** "(a) && (b)" starts and ends with parentheses that are not a pair. */
    private static boolean balancedInside(String e) {
        int depth = 0;
        for (int i = 0; i < e.length() - 1; i++) {
            if (e.charAt(i) == '(') depth++;
            else if (e.charAt(i) == ')') depth--;
            if (depth == 0) return false;
        }
        return true;
    }
}
