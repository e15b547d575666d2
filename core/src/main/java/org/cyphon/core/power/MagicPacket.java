package org.cyphon.core.power;

/**
 * The Wake-on-LAN "magic packet" (AMD, "Magic Packet Technology", 1995): six bytes 0xFF, then the
 * card's MAC address sixteen times, 102 bytes. A sleeping card matches it anywhere in a frame, so
 * it is sent as the payload of a UDP broadcast (by convention to port 9, "discard"), which every
 * card of the subnet receives without an ARP entry for the sleeping desk.
 */
public final class MagicPacket {
    /** The conventional port; 7 (echo) is the other one in use. */
    public static final int PORT = 9;

    public static final int LENGTH = 6 + 16 * 6;

    private MagicPacket() {}

    public static byte[] of(MacAddress mac) {
        byte[] m = mac.bytes();
        byte[] p = new byte[LENGTH];
        for (int i = 0; i < 6; i++) p[i] = (byte) 0xFF;
        for (int r = 0; r < 16; r++) System.arraycopy(m, 0, p, 6 + r * 6, 6);
        return p;
    }
}
