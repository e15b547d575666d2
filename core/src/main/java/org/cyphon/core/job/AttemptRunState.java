package org.cyphon.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What an agent says, in each heartbeat, of an attempt it holds: running (also when it lingers
 * beside the owner at idle priority) or suspended (frozen for the owner). The coordinator moves
 * the job between {@link JobState#RUNNING} and {@link JobState#SUSPENDED} to match.
 */
public enum AttemptRunState {
    RUNNING,
    SUSPENDED;

    /** Lower-case name used on the wire. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value and the states accepted */
    @JsonCreator
    public static AttemptRunState fromWire(String s) {
        for (AttemptRunState r : values()) if (r.wireName().equals(s)) return r;
        throw new IllegalArgumentException("unknown attempt state '" + s + "' (one of running, suspended)");
    }
}
