package org.cyphon.cli.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import org.cyphon.core.text.Durations;
import org.cyphon.core.text.Sizes;

/**
 * How values look to people in tables and details: compact, and using the same size and duration
 * forms that the CLI accepts as input (core {@link Sizes} and {@link Durations}).
 */
public final class Display {
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Display() {}

    /** 1, 1.5, 0.25: no trailing zeros. */
    public static String cpus(double cpus) {
        return BigDecimal.valueOf(cpus).stripTrailingZeros().toPlainString();
    }

    /** Run time in the compact form of {@link Durations#format}, or "" when unknown. */
    public static String seconds(Long seconds) {
        return seconds == null ? "" : Durations.format(Duration.ofSeconds(seconds));
    }

    /** "12s ago", "3h05m ago"; "never" when null. */
    public static String ago(Instant then, Instant now) {
        if (then == null) return "never";
        return Durations.format(Duration.between(then, now)) + " ago";
    }

    /** A timestamp in the local time zone, to the second; "" when null. */
    public static String time(Instant t) {
        return t == null ? "" : LOCAL_TIME.format(t.atZone(ZoneId.systemDefault()));
    }

    /** A byte count in the short form of {@link Sizes#format}: 512M, 1.5G. */
    public static String size(long bytes) {
        return Sizes.format(bytes);
    }

    /** The command as a shell would need it typed: arguments with spaces or quotes are single-quoted. */
    public static String command(List<String> command) {
        if (command == null) return "";
        StringBuilder b = new StringBuilder();
        for (String arg : command) {
            if (!b.isEmpty()) b.append(' ');
            b.append(SHELL_SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
