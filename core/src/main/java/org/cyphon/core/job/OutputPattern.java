package org.cyphon.core.job;

import java.util.regex.Pattern;

/**
 * One {@code --output} pattern: which files of a job's working directory to keep. Globs relative to
 * the working directory, matched against each file's path there:
 * <ul>
 *   <li>{@code *} any characters of one path segment, {@code ?} one character, {@code [a-z]} and
 *       {@code [!0-9]} one character of (not of) a set;</li>
 *   <li>{@code **} as a whole segment: any number of directories ({@code out/**}, {@code **}/*.csv);</li>
 *   <li>a pattern that names a directory keeps everything under it ({@code results} or
 *       {@code results/}), as HTCondor's {@code transfer_output_files} does.</li>
 * </ul>
 * A pattern can only name files inside the working directory: an absolute pattern, or one with a
 * {@code ..} segment, is refused at submit ({@link #problem}).
 */
public final class OutputPattern {
    public static final int MAX_LENGTH = 1024;

    private final String text;
    private final Pattern regex;

    private OutputPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** What is wrong with {@code pattern}, or null when it compiles. */
    public static String problem(String pattern) {
        try {
            compile(pattern);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static OutputPattern compile(String pattern) {
        if (pattern == null || pattern.isBlank()) throw new IllegalArgumentException("is empty");
        if (pattern.length() > MAX_LENGTH) throw new IllegalArgumentException("is longer than " + MAX_LENGTH);
        String p = pattern;
        if (p.startsWith("/") || p.startsWith("~"))
            throw new IllegalArgumentException("'" + WorkDirNames.shown(p)
                    + "' is outside the job's working directory: patterns are relative to it (e.g. results/*.csv)");
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        if (p.startsWith("./")) p = p.substring(2);
        for (int i = 0; i < p.length(); i++) {
            char ch = p.charAt(i);
            if (ch < 0x20 || ch == 0x7f)
                throw new IllegalArgumentException(
                        "'" + WorkDirNames.shown(pattern) + "' contains a control character");
        }
        String[] segments = p.split("/", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.isEmpty())
                throw new IllegalArgumentException("'" + WorkDirNames.shown(pattern) + "' has an empty segment");
            if (s.equals("..") || s.equals("."))
                throw new IllegalArgumentException("'" + WorkDirNames.shown(pattern) + "' has a '" + s
                        + "' segment: outputs must be inside the job's working directory");
            if (s.equals("**")) {
                re.append(last ? "[^/]+(?:/[^/]+)*" : "(?:[^/]+/)*");
                continue;
            }
            if (s.contains("**"))
                throw new IllegalArgumentException("'" + WorkDirNames.shown(pattern)
                        + "': ** must be a whole segment (out/**/*.csv), not part of one");
            re.append(segment(s, pattern));
            if (!last) re.append('/');
        }
        return new OutputPattern(pattern, Pattern.compile(re.toString()));
    }

    private static String segment(String s, String whole) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = s.indexOf(']', i + 2);
                    if (end < 0)
                        throw new IllegalArgumentException("'" + WorkDirNames.shown(whole) + "' has a [ without its ]");
                    String set = s.substring(i + 1, end);
                    boolean negated = set.startsWith("!") || set.startsWith("^");
                    if (negated) set = set.substring(1);
                    if (set.isEmpty())
                        throw new IllegalArgumentException("'" + WorkDirNames.shown(whole) + "' has an empty [] set");
                    re.append(negated ? "[^/" : "[");
                    for (int k = 0; k < set.length(); k++) {
                        char c = set.charAt(k);
                        if (c == '-') re.append('-');
                        else if (Character.isLetterOrDigit(c)) re.append(c);
                        else re.append('\\').append(c);
                    }
                    re.append(']');
                    i = end;
                }
                default -> {
                    if (Character.isLetterOrDigit(ch)) re.append(ch);
                    else re.append(Pattern.quote(String.valueOf(ch)));
                }
            }
        }
        return re.toString();
    }

    /**
     * Whether the file at {@code path} (relative to the working directory, {@code /}-separated) is
     * kept by this pattern: the pattern matches it, or one of the directories it is in.
     */
    public boolean matches(String path) {
        if (regex.matcher(path).matches()) return true;
        for (int at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) {
            if (regex.matcher(path.substring(0, at)).matches()) return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
