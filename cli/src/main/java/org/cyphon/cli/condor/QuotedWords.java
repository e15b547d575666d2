package org.cyphon.cli.condor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTCondor's two syntaxes for {@code arguments} and {@code environment}.
 *
 * <p>New syntax: the whole value in double quotes; words separated by whitespace; a word or part
 * of one in single quotes keeps its whitespace; inside the value {@code ""} is a literal double
 * quote and, within single quotes, {@code ''} a literal single quote. Old syntax (no surrounding
 * double quotes): arguments split at whitespace with {@code \"} for a double quote; environment
 * entries split at semicolons.
 */
final class QuotedWords {
    private QuotedWords() {}

    /** @throws IllegalArgumentException saying what is wrong with the value */
    static List<String> arguments(String value) {
        String v = value.strip();
        if (v.startsWith("\"")) return newSyntax(v);
        List<String> out = new ArrayList<>();
        for (String w : v.split("\\s+")) if (!w.isEmpty()) out.add(w.replace("\\\"", "\""));
        return out;
    }

    /** @throws IllegalArgumentException saying what is wrong with the value */
    static Map<String, String> environment(String value) {
        String v = value.strip();
        List<String> entries = new ArrayList<>();
        if (v.startsWith("\"")) entries.addAll(newSyntax(v));
        else for (String e : v.split(";")) if (!e.isBlank()) entries.add(e.strip());
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + e + "' is not NAME=VALUE");
            out.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return out;
    }

    private static List<String> newSyntax(String v) {
        if (v.length() < 2 || !v.endsWith("\"") || endsInDoubledQuote(v))
            throw new IllegalArgumentException("starts with a double quote but does not end with one");
        String body = v.substring(1, v.length() - 1);
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        boolean inSingle = false;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (ch == '"') {
                if (i + 1 < body.length() && body.charAt(i + 1) == '"') {
                    word = append(word, '"');
                    i++;
                    continue;
                }
                throw new IllegalArgumentException("a double quote inside the value must be doubled (\"\")");
            }
            if (inSingle) {
                if (ch == '\'') {
                    if (i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                        word = append(word, '\'');
                        i++;
                    } else inSingle = false;
                } else word = append(word, ch);
            } else if (ch == '\'') {
                inSingle = true;
                if (word == null) word = new StringBuilder();
            } else if (Character.isWhitespace(ch)) {
                if (word != null) out.add(word.toString());
                word = null;
            } else word = append(word, ch);
        }
        if (inSingle) throw new IllegalArgumentException("a single quote is not closed");
        if (word != null) out.add(word.toString());
        return out;
    }

    /** {@code "a b"""} ends with an escaped quote, not the closing one. */
    private static boolean endsInDoubledQuote(String v) {
        int n = 0;
        for (int i = v.length() - 1; i > 0 && v.charAt(i) == '"'; i--) n++;
        return n % 2 == 0;
    }

    private static StringBuilder append(StringBuilder word, char ch) {
        return (word == null ? new StringBuilder() : word).append(ch);
    }
}
