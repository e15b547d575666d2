package org.cyphon.core.owner;

/**
 * Log-spaced bins for idle-period lengths: bin 0 holds periods under a minute, bins 1..30 split
 * one minute .. thirty days evenly in log scale (each about 1.45 times longer than the last), and
 * bin 31 holds anything longer. Log spacing because idle lengths span four orders of magnitude
 * (a coffee break, a night, a weekend, a holiday) and forecasts need relative, not absolute,
 * resolution.
 */
final class IdleLengthBins {
    static final int COUNT = 32;
    static final double FIRST_SECONDS = 60;
    static final double LAST_SECONDS = 30 * 86_400;
    private static final double LOG_FIRST = Math.log(FIRST_SECONDS);
    private static final double LOG_RATIO = Math.log(LAST_SECONDS / FIRST_SECONDS) / (COUNT - 2);

    private IdleLengthBins() {}

    /** The bin a length in seconds falls in. */
    static int of(double seconds) {
        if (seconds < FIRST_SECONDS) return 0;
        int k = 1 + (int) ((Math.log(seconds) - LOG_FIRST) / LOG_RATIO);
        return Math.min(k, COUNT - 1);
    }

    /** Where in its bin a length lies, 0 at the lower edge to 1 at the upper (the last bin is as wide as the others). */
    static double fraction(double seconds, int bin) {
        if (bin == 0) return Math.max(0, seconds) / FIRST_SECONDS;
        double f = (Math.log(seconds) - LOG_FIRST) / LOG_RATIO - (bin - 1);
        return Math.max(0, Math.min(1, f));
    }

    /** The lower edge of a bin, in seconds. */
    static double lower(int bin) {
        return bin == 0 ? 0 : Math.exp(LOG_FIRST + (bin - 1) * LOG_RATIO);
    }
}
