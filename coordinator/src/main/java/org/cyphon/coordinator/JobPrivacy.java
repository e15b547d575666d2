package org.cyphon.coordinator;

import java.util.Locale;

/**
 * Who may read a job's environment and output ({@code jobs.privacy} in coordinator.toml). Its owner
 * and admins always may; secret variables ({@code secretEnv}) are never shown to anyone else,
 * whatever this says.
 */
public enum JobPrivacy {
    /** Every other user sees the job in listings, but not its environment's values nor its output. */
    OWN,
    /** Every user sees every job's environment (secret values excepted) and output, as before privacy existed. */
    OPEN;

    /** "own" or "open", as written in coordinator.toml. */
    public static JobPrivacy parse(String text) {
        for (JobPrivacy p : values()) if (p.name().toLowerCase(Locale.ROOT).equals(text)) return p;
        throw new IllegalArgumentException("must be \"own\" or \"open\", got '" + text + "'");
    }
}
