package org.cyphon.core.text;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints byte sizes the way people write them: {@code 512M}, {@code 2G}, {@code 1.5GiB},
 * {@code 4096} (bytes). Units are binary (K = 1024), as memory limits are.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtKMGT]?)(?:i?[bB])?");

    private Sizes() {}

    /** @throws IllegalArgumentException naming the text when it is not a size */
    public static long parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty size");
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 512M, 2G, 1048576)");
        }
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "" -> 0;
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 40;
        };
        double bytes = n * (1L << shift);
        if (bytes > Long.MAX_VALUE / 2.0) throw new IllegalArgumentException("'" + text + "' is too large");
        return (long) Math.ceil(bytes);
    }

    /** Short human form: 512M, 1.5G, 900K, 12B. */
    public static String format(long bytes) {
        String[] units = {"B", "K", "M", "G", "T"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) return bytes + "B";
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + units[u];
    }
}
