package org.cyphon.core.protocol;

import java.util.List;

/**
 * One network card of a desk, as its agent read it before going to sleep: the address a magic
 * packet must name, whether the card wakes on one, and where a broadcast reaches it.
 *
 * @param name       the interface ({@code eth0}, {@code enp3s0})
 * @param mac        its hardware address, {@code 52:54:00:12:34:56}
 * @param wakeOnLan  {@code enabled} (ethtool's {@code Wake-on} has {@code g}, magic packet),
 *                   {@code disabled} (the card supports it but it is off: {@code ethtool -s IFACE wol g}),
 *                   {@code unsupported}, or {@code unknown} (no ethtool, or the driver does not say)
 * @param detail     what the agent read, for people: ethtool's two lines, or why there are none
 * @param broadcasts the card's IPv4 broadcast addresses (its subnets'), or agent.toml's
 *                   {@code power.wake_broadcast}; where magic packets for it are sent
 */
public record NicView(String name, String mac, String wakeOnLan, String detail, List<String> broadcasts) {
    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";
    public static final String UNSUPPORTED = "unsupported";
    public static final String UNKNOWN = "unknown";

    public NicView {
        broadcasts = broadcasts == null ? List.of() : List.copyOf(broadcasts);
    }

    /** Whether a magic packet may wake the desk through this card: on, or nobody could tell. */
    public boolean mayWake() {
        return ENABLED.equals(wakeOnLan) || UNKNOWN.equals(wakeOnLan);
    }
}
