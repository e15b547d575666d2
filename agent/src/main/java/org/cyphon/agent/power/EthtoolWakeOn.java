package org.cyphon.agent.power;

import org.cyphon.core.protocol.NicView;

/**
 * What {@code ethtool IFACE} says of a card's Wake-on-LAN: its {@code Supports Wake-on:} line (the
 * wake-up sources the card has: {@code g} is the magic packet) and its {@code Wake-on:} line (those
 * armed now). The state the coordinator goes by, with the two lines for people.
 *
 * @param state  {@link NicView#ENABLED}, {@link NicView#DISABLED}, {@link NicView#UNSUPPORTED} or
 *               {@link NicView#UNKNOWN}
 * @param detail one line: what ethtool said, or why nothing could be read
 */
public record EthtoolWakeOn(String state, String detail) {

    /** The agent could not run ethtool (not installed): nobody can tell. */
    public static EthtoolWakeOn notInstalled() {
        return new EthtoolWakeOn(
                NicView.UNKNOWN, "ethtool is not installed: Wake-on-LAN unknown (Debian package ethtool)");
    }

    /** Reads ethtool's output (stdout and stderr together) for {@code iface}. */
    public static EthtoolWakeOn parse(String output, String iface) {
        String supports = null;
        String armed = null;
        for (String raw : output.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("Supports Wake-on:"))
                supports = line.substring("Supports Wake-on:".length()).strip();
            else if (line.startsWith("Wake-on:"))
                armed = line.substring("Wake-on:".length()).strip();
        }
        if (supports == null)
            return new EthtoolWakeOn(
                    NicView.UNKNOWN,
                    "ethtool shows no Wake-on-LAN settings for " + iface + " (its driver does not say)");
        String seen = "Supports Wake-on: " + supports + "; Wake-on: " + (armed == null ? "?" : armed);
        if (!supports.contains("g")) return new EthtoolWakeOn(NicView.UNSUPPORTED, seen + " (no magic packet)");
        if (armed != null && armed.contains("g")) return new EthtoolWakeOn(NicView.ENABLED, seen);
        return new EthtoolWakeOn(NicView.DISABLED, seen + "; enable it with: ethtool -s " + iface + " wol g");
    }
}
