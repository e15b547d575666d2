package org.cyphon.core.policy;

import java.util.Locale;

/**
 * An amount of the owner's CPU demand, as the systems we replace state theirs: HTCondor in CPUs
 * ({@code 0.5}), BOINC in percent of the machine ({@code 25%}); {@code free} means whatever the
 * desk's jobs leave free (at least one CPU), i.e. the point where the owner's demand would contend
 * with them; {@code off} disables the limit.
 */
public record CpuLimit(Kind kind, double value) {
    public enum Kind {
        OFF,
        CPUS,
        PERCENT_OF_CORES,
        FREE
    }

    public static final CpuLimit OFF = new CpuLimit(Kind.OFF, 0);

    /** @throws IllegalArgumentException naming the text when it is none of the forms */
    public static CpuLimit parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("off") || t.equals("none")) return OFF;
        if (t.equals("free")) return new CpuLimit(Kind.FREE, 0);
        try {
            if (t.endsWith("%")) {
                double p = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                if (p >= 0 && p <= 100) return new CpuLimit(Kind.PERCENT_OF_CORES, p);
            } else {
                double c = Double.parseDouble(t);
                if (c >= 0) return new CpuLimit(Kind.CPUS, c);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is not a CPU amount (examples: 0.5 CPUs, 25%, free, off)");
    }

    /** The limit in CPUs on a machine of {@code cores} whose jobs hold {@code jobCpus}; infinite when off. */
    public double cpus(double cores, double jobCpus) {
        return switch (kind) {
            case OFF -> Double.POSITIVE_INFINITY;
            case CPUS -> value;
            case PERCENT_OF_CORES -> cores * value / 100;
            case FREE -> Math.max(cores - jobCpus, 1);
        };
    }

    public boolean off() {
        return kind == Kind.OFF;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case OFF -> "off";
            case CPUS -> trim(value);
            case PERCENT_OF_CORES -> trim(value) + "%";
            case FREE -> "free";
        };
    }

    static String trim(double v) {
        return v == Math.rint(v)
                ? String.valueOf((long) v)
                : String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }
}
