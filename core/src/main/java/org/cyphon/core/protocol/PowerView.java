package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A desk's power as the coordinator knows it: asleep or not, how to wake it, its last wake-up.
 * Null in a machine view when its agent never reported its cards (it never slept).
 *
 * @param asleepSince when it went to sleep; null while awake
 * @param how         {@code suspend} or {@code hibernate}, as it last slept
 * @param interfaces  the cards it reported when it last went to sleep
 * @param wakeSentAt  the last magic packet sent to it; null if none
 * @param wakeSentBy  who sent it: an admin's name, or {@code coordinator} for queued work
 * @param unanswered  that wake-up went unanswered past {@code power.wake_timeout}: the coordinator
 *                    wakes it for work no more until it is heard from
 */
public record PowerView(
        Instant asleepSince,
        String how,
        List<NicView> interfaces,
        Instant wakeSentAt,
        String wakeSentBy,
        boolean unanswered) {
    public PowerView {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }
}
