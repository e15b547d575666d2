package org.cyphon.agent;

import java.time.Instant;
import org.cyphon.core.protocol.DeskVmView;

/**
 * What the desk's owner asks of the agent on its local owner socket ({@link OwnerSocket}), one JSON
 * line per connection, and what the agent answers: the CLI's {@code cyphon claim},
 * {@code cyphon desk status} and, without a token, {@code cyphon away} and {@code cyphon back}.
 */
public final class OwnerCall {
    private OwnerCall() {}

    /**
     * @param action {@code claim}, {@code unclaim}, {@code desk-status}, {@code away}, {@code back}
     * @param time   claim: for how long ({@code 2h}); away: until when (a date, a date-time or a
     *               duration, as {@code cyphon away --until})
     * @param reason away: why, or null
     */
    public record Request(String action, String time, String reason) {}

    /**
     * @param ok         whether it was done
     * @param message    what was done, or why not, in a sentence
     * @param vm         desk-status: the desk VM as the agent reads it now (null on a desk without one)
     * @param claimUntil the owner's claim in force after the call, or null
     */
    public record Reply(boolean ok, String message, DeskVmView vm, Instant claimUntil) {
        static Reply refused(String why) {
            return new Reply(false, why, null, null);
        }
    }
}
