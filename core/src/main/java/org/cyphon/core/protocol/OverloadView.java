package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * The pool's overload mode: while it is on, desks whose policy allows it hold their owner's VM to a
 * CPU floor, so a saturated server can borrow more of them. Always bounded: it ends by itself at
 * {@code until}.
 *
 * @param active whether it is on now
 * @param since  when it was switched on; null when it never was
 * @param until  when it ends (or ended)
 * @param reason what the admin said, e.g. "build server saturated"
 * @param by     who switched it on, or off
 */
public record OverloadView(boolean active, Instant since, Instant until, String reason, String by) {
    public static final OverloadView OFF = new OverloadView(false, null, null, null, null);
}
