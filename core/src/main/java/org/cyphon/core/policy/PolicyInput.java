package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;
import org.cyphon.core.owner.Presence;

/**
 * Everything one per-attempt decision depends on. The presence is re-based on {@code now} if it
 * was fused at another moment.
 */
public record PolicyInput(Instant now, Presence presence, MachineFacts machine, AttemptFacts attempt) {
    public PolicyInput {
        presence = presence.at(now);
    }

    /** The same situation at a later moment, assuming no new signal: how the next change is found. */
    PolicyInput at(Instant later) {
        if (later.equals(now)) return this;
        return new PolicyInput(later, presence, machine, attempt.after(Duration.between(now, later)));
    }
}
