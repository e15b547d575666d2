package org.cyphon.agent.checkpoint;

import java.util.Locale;

/** {@code [checkpoint] criu}: whether to look for CRIU at all. */
public enum CriuMode {
    /** Run {@code criu check} at start and report what it says. */
    AUTO,
    /** Never use CRIU; report it as disabled. */
    OFF;

    /** @throws IllegalArgumentException naming the accepted values */
    public static CriuMode parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "off" -> OFF;
            default -> throw new IllegalArgumentException("'" + s + "' is not one of auto, off");
        };
    }
}
