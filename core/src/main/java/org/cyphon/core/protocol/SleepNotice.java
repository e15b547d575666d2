package org.cyphon.core.protocol;

import java.util.List;

/**
 * Sent by an agent just before it suspends or hibernates its desk
 * ({@code POST /api/v1/agents/{machine}/sleep}): how it sleeps, the cards the coordinator can wake
 * it through, and its owner as last seen (away). Refused (409) while the coordinator has work on
 * the desk or on its way to it; the agent then stays awake.
 *
 * @param how        {@code suspend} or {@code hibernate}
 * @param interfaces its network cards (loopback and cards without an address left out)
 * @param desk       the owner's presence as the agent saw it last
 */
public record SleepNotice(String how, List<NicView> interfaces, DeskView desk) {
    public SleepNotice {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }
}
