package org.cyphon.core.text;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations as people write them: {@code 90s}, {@code 5m}, {@code 2h},
 * {@code 1h30m}, {@code 3d}, {@code 250ms}. A bare number is seconds.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)");

    private Durations() {}

    /** @throws IllegalArgumentException naming the text when it is not a duration */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty duration");
        String s = text.trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        if (s.matches("\\d+")) return Duration.ofSeconds(Long.parseLong(s));
        Matcher m = PART.matcher(s);
        int at = 0;
        double millis = 0;
        while (m.find()) {
            if (m.start() != at) break;
            double n = Double.parseDouble(m.group(1));
            millis += n
                    * switch (m.group(2)) {
                        case "ms" -> 1;
                        case "s" -> 1_000;
                        case "m" -> 60_000;
                        case "h" -> 3_600_000;
                        case "d" -> 86_400_000;
                        default -> 7 * 86_400_000L;
                    };
            at = m.end();
        }
        if (at == 0 || at != s.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 90s, 5m, 2h, 1h30m, 3d)");
        }
        if (millis > 100L * 365 * 86_400_000) throw new IllegalArgumentException("'" + text + "' is too long");
        return Duration.ofMillis(Math.round(millis));
    }

    /**
     * As a person writes it in a configuration file, exactly and without zero parts: {@code 1m},
     * {@code 1h30m}, {@code 90s} is {@code 1m30s}, {@code 250ms}, {@code 2d}. For messages about
     * settings, which must read like the setting (not {@code PT1M}). {@link #parse} reads it back.
     */
    public static String asWritten(Duration d) {
        if (d.isNegative()) return "-" + asWritten(d.negated());
        if (d.isZero()) return "0s";
        long ms = d.toMillis();
        StringBuilder out = new StringBuilder();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            long n = ms / sizes[i];
            if (n > 0) out.append(n).append(units[i]);
            ms %= sizes[i];
        }
        return out.toString();
    }

    /** Compact form for tables: 45s, 12m03s, 3h05m, 2d04h. */
    public static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
        if (s < 86400) return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        return String.format("%dd%02dh", s / 86400, (s % 86400) / 3600);
    }
}
