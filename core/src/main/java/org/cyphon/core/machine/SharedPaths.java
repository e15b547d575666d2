package org.cyphon.core.machine;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shared storage ({@code [storage] shared} on the desks) as placement sees it: a desk that has a
 * shared path mounted right now carries it as a label whose name is the path itself and whose value
 * is {@value #MOUNTED}; a job that needs the path requires that label. One rule for both sides, so
 * placement, the queue's WHY and preemption match paths exactly as they match any label. No label
 * a person writes can look like one: label names start with a letter ({@link Labels}), these with
 * {@code /}.
 */
public final class SharedPaths {
    public static final String MOUNTED = "mounted";
    public static final int MAX_PATHS = 16;
    public static final int MAX_LENGTH = 256;

    private SharedPaths() {}

    /** Whether a label name stands for a shared path. */
    public static boolean isPath(String labelName) {
        return labelName != null && labelName.startsWith("/");
    }

    /** What is wrong with {@code path} as a shared storage path, or null. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) return "is empty";
        if (!path.startsWith("/")) return "'" + path + "' is not an absolute path";
        if (path.length() > MAX_LENGTH) return "is longer than " + MAX_LENGTH + " characters";
        if (path.equals("/")) return "'/' is the whole machine, not shared storage";
        if (path.endsWith("/")) return "'" + path + "' ends with /: write it without";
        for (String s : path.substring(1).split("/", -1)) {
            if (s.isEmpty() || s.equals(".") || s.equals(".."))
                return "'" + path + "' is not a plain absolute path (no //, . or .. segments)";
        }
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch < 0x20 || ch == 0x7f || ch == '\\') return "'" + path + "' contains a control character or \\";
        }
        return null;
    }

    /** The labels that say these paths are mounted. */
    public static Map<String, String> labels(Collection<String> paths) {
        Map<String, String> out = new TreeMap<>();
        if (paths != null) for (String p : paths) out.put(p, MOUNTED);
        return out;
    }

    /** Whether {@code path} is {@code root} or inside it. */
    public static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }
}
