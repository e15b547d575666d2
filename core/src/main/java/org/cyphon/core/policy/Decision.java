package org.cyphon.core.policy;

import java.time.Instant;
import java.util.List;

/**
 * What to do with one attempt now, why, and when to ask again.
 *
 * @param action       the state the attempt should be in
 * @param reasons      short sentences for logs and {@code cyphon machine}
 * @param reconsiderAt the earliest instant at which, without any new signal, the decision would
 *                     change; null when only a new signal can change it. The agent re-decides on
 *                     every signal and at this instant, so it needs no polling interval.
 * @param caps         the linger caps to apply (for {@link Action#LINGER}, and {@link Action#THAW}
 *                     into lingering); null otherwise
 */
public record Decision(Action action, List<String> reasons, Instant reconsiderAt, LingerCaps caps) {
    public Decision {
        reasons = List.copyOf(reasons);
    }

    Decision withReconsiderAt(Instant at) {
        return new Decision(action, reasons, at, caps);
    }
}
