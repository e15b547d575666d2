package org.cyphon.coordinator.power;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import org.cyphon.core.power.MacAddress;
import org.cyphon.core.power.MagicPacket;

/**
 * Sends Wake-on-LAN magic packets as UDP broadcasts. Each packet goes out {@link #COPIES} times: a
 * datagram may be dropped on a busy LAN, a sleeping card acts on the first it sees, and a wake-up
 * is rare, so the duplicates cost nothing.
 */
public final class MagicPackets {
    static final int COPIES = 3;

    /** Sends the packet for {@code mac} to {@code broadcast:port}. */
    public void send(MacAddress mac, String broadcast, int port) throws IOException {
        byte[] payload = MagicPacket.of(mac);
        InetAddress to = InetAddress.getByAddress(Ipv4.bytes(broadcast));
        try (DatagramSocket s = new DatagramSocket()) {
            s.setBroadcast(true);
            for (int i = 0; i < COPIES; i++) s.send(new DatagramPacket(payload, payload.length, to, port));
        }
    }
}
