package org.cyphon.bench;

import java.util.Locale;

/** Number formatting shared by every benchmark's table, so figures read the same everywhere. */
final class Figures {
    private Figures() {}

    /** 50000 -> "50,000". */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A rate: thousands separators, one decimal below 100/s (small rates need it to compare). */
    static String rate(double perSecond) {
        return perSecond >= 100
                ? String.format(Locale.ROOT, "%,.0f", perSecond)
                : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String millis(double nanos) {
        double ms = nanos / 1e6;
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String megabytes(long kilobytes) {
        return String.format(Locale.ROOT, "%.1f MB", kilobytes / 1024.0);
    }

    static String percent(double p) {
        return String.format(Locale.ROOT, "%.2f%%", p);
    }

    static String decimal(double d, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", d);
    }
}
