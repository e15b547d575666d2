package org.cyphon.core.power;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A network card's 48-bit hardware address, as {@code /sys/class/net/IFACE/address} and ethtool
 * write it ({@code 52:54:00:12:34:56}; {@code -} separators are read too). Only an address a
 * magic packet can name is accepted: not all zeros (a card without one) and not a group address
 * (least significant bit of the first byte set: broadcast or multicast, never a card's own).
 */
public record MacAddress(byte[] bytes) {

    public MacAddress {
        if (bytes == null || bytes.length != 6) throw new IllegalArgumentException("a MAC address has 6 bytes");
        bytes = bytes.clone();
    }

    /**
     * @throws IllegalArgumentException naming the text when it is not six hex pairs, is all zeros
     *     or is a group address
     */
    public static MacAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.matches("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}"))
            throw new IllegalArgumentException(
                    "'" + text + "' is not a MAC address (six hex pairs: 52:54:00:12:34:56)");
        byte[] b = HexFormat.of().parseHex(t.replace(":", "").replace("-", ""));
        boolean zero = true;
        for (byte x : b) zero &= x == 0;
        if (zero) throw new IllegalArgumentException("'" + text + "' is the empty MAC address (no card owns it)");
        if ((b[0] & 1) != 0)
            throw new IllegalArgumentException(
                    "'" + text + "' is a group (broadcast or multicast) address, not a card's");
        return new MacAddress(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case, colon-separated: what {@code ip link} shows. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes).toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && java.util.Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }
}
