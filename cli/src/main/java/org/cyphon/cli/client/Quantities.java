package org.cyphon.cli.client;

import org.cyphon.core.text.Durations;
import org.cyphon.core.text.Sizes;

/**
 * The cheap local checks of submit input, so a typo like {@code --memory 5l2M} is reported with
 * the option's name before anything is sent. Parsing is core's; the coordinator still validates
 * ranges and has the last word.
 */
public final class Quantities {
    private Quantities() {}

    /**
     * @param where how the user wrote it ("--memory", "job.toml: memory")
     * @throws InvalidInput naming {@code where} when the text is not a size
     */
    public static String checkSize(String where, String text) {
        try {
            Sizes.parse(text);
            return text;
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(where + ": " + e.getMessage());
        }
    }

    /** Like {@link #checkSize} for durations (2h, 90m, 1h30m). */
    public static String checkDuration(String where, String text) {
        try {
            Durations.parse(text);
            return text;
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(where + ": " + e.getMessage());
        }
    }

    /** A duration, or "auto": the coordinator chooses the interval from the desk's idle forecast. */
    public static String checkCheckpointEvery(String where, String text) {
        if (text.trim().equalsIgnoreCase(org.cyphon.core.job.JobSpecs.CHECKPOINT_AUTO))
            return org.cyphon.core.job.JobSpecs.CHECKPOINT_AUTO;
        return checkDuration(where, text);
    }

    /** {@code host} or {@code none}, as the coordinator will check it. */
    public static String checkNetwork(String where, String text) {
        if (text.equals(org.cyphon.core.job.JobSpecs.NETWORK_HOST)
                || text.equals(org.cyphon.core.job.JobSpecs.NETWORK_NONE)) return text;
        throw new InvalidInput(where + ": '" + text + "' is not a network: host (the desk's) or none (loopback only)");
    }

    /** Label requirements, each checked as the coordinator will. */
    public static java.util.Map<String, String> checkLabels(String where, java.util.Map<String, String> labels) {
        String problem = org.cyphon.core.machine.Labels.problem(labels);
        if (problem != null) throw new InvalidInput(where + ": " + problem);
        return labels;
    }

    /** {@code K=V} arguments as labels. */
    public static java.util.Map<String, String> parseLabels(String where, java.util.List<String> pairs) {
        try {
            return org.cyphon.core.machine.Labels.parse(pairs);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(where + ": " + e.getMessage());
        }
    }
}
