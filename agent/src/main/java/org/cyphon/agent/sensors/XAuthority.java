package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An X authority file ({@code ~/.Xauthority}, the file after an X server's {@code -auth}): a list of
 * entries, each {@code family (u16), address, display number, auth name, auth data}, every string
 * prefixed by its u16 length, all big-endian (Xau's format).
 */
public final class XAuthority {

    static final String MIT_MAGIC_COOKIE = "MIT-MAGIC-COOKIE-1";
    /** FamilyLocal: connections over a unix socket on the host named in the address. */
    static final int FAMILY_LOCAL = 256;
    /** FamilyWild: any address (written by {@code xauth} for {@code :N} on some setups, and by Xwayland). */
    static final int FAMILY_WILD = 65535;

    /** One entry; {@code display} empty means any display. */
    public record Entry(int family, String address, String display, String name, byte[] data) {}

    private XAuthority() {}

    public static List<Entry> read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static List<Entry> parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes); // big-endian, as Xau writes it
        List<Entry> entries = new ArrayList<>();
        while (b.remaining() >= 2) {
            try {
                int family = Short.toUnsignedInt(b.getShort());
                String address = new String(counted(b), StandardCharsets.ISO_8859_1);
                String display = new String(counted(b), StandardCharsets.ISO_8859_1);
                String name = new String(counted(b), StandardCharsets.ISO_8859_1);
                byte[] data = counted(b);
                entries.add(new Entry(family, address, display, name, data));
            } catch (RuntimeException e) {
                break; // a truncated last entry (file being rewritten): use what came before it
            }
        }
        return entries;
    }

    /**
     * The MIT-MAGIC-COOKIE-1 cookies that may open a local connection to display {@code number}:
     * local or wildcard entries for that display (or for any display), this host's first. Other
     * hosts' local entries are kept last: a container or a renamed machine still shares the socket.
     */
    public static List<byte[]> localCookies(List<Entry> entries, int number, String hostname) {
        List<byte[]> mine = new ArrayList<>();
        List<byte[]> others = new ArrayList<>();
        String wanted = Integer.toString(number);
        for (Entry e : entries) {
            if (!e.name().equals(MIT_MAGIC_COOKIE)) continue;
            if (!e.display().isEmpty() && !e.display().equals(wanted)) continue;
            if (e.family() == FAMILY_WILD
                    || (e.family() == FAMILY_LOCAL && e.address().equals(hostname))) {
                mine.add(e.data());
            } else if (e.family() == FAMILY_LOCAL) {
                others.add(e.data());
            }
        }
        mine.addAll(others);
        return mine;
    }

    private static byte[] counted(ByteBuffer b) {
        byte[] out = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(out);
        return out;
    }
}
