package org.cyphon.core.job;

/**
 * The rules for paths inside a job's working directory, the same on every side: the CLI names its
 * inputs by them, the coordinator refuses a submission that breaks them (so it fails at submit,
 * not on a desk), the agent checks them again before it writes a file, and {@code cyphon fetch}
 * before it writes one it was sent. A name can never leave the working directory: it is relative,
 * made of {@code /}-separated segments none of which is empty, {@code .} or {@code ..}.
 */
public final class WorkDirNames {
    public static final int MAX_LENGTH = 1024;
    public static final int MAX_SEGMENT = 255;
    /**
     * Names whose first segment starts with this are Cyphon's own (the checkpoint directory
     * {@code .cyphon-checkpoint}): no input may be put there.
     */
    public static final String RESERVED_PREFIX = ".cyphon";

    private WorkDirNames() {}

    /** What is wrong with {@code name} as a file's place in the working directory, or null. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) return "is empty";
        if (name.length() > MAX_LENGTH) return "is longer than " + MAX_LENGTH + " characters";
        if (name.startsWith("/"))
            return "'" + shown(name) + "' is an absolute path: name a place in the job's working directory";
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 0x20 || ch == 0x7f) return "'" + shown(name) + "' contains a control character";
            if (ch == '\\') return "'" + shown(name) + "' contains a backslash";
        }
        String[] segments = name.split("/", -1);
        for (String s : segments) {
            if (s.isEmpty()) return "'" + shown(name) + "' has an empty segment (// or a trailing /)";
            if (s.equals(".") || s.equals(".."))
                return "'" + shown(name) + "' has a '" + s
                        + "' segment: it must stay inside the job's working directory";
            if (s.length() > MAX_SEGMENT) return "'" + shown(name) + "' has a segment longer than " + MAX_SEGMENT;
        }
        if (segments[0].startsWith(RESERVED_PREFIX))
            return "'" + shown(name) + "': names starting with " + RESERVED_PREFIX + " are Cyphon's own";
        return null;
    }

    /** Whether {@code a} is {@code b} or inside it, or the other way round (they cannot both be files). */
    public static boolean overlap(String a, String b) {
        return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
    }

    static String shown(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
