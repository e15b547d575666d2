package org.cyphon.coordinator.tls;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code http.listen} means for TLS: whether only this machine can reach it (loopback: plain
 * HTTP is allowed) and by which names and addresses others reach it (the self-issued certificate's
 * subject alternative names).
 */
public final class ListenAddress {
    private ListenAddress() {}

    /** Every address of the machine: 0.0.0.0, ::, [::] or nothing. */
    public static boolean isWildcard(String listen) {
        String l = listen.strip();
        return l.isEmpty() || l.equals("0.0.0.0") || l.equals("::") || l.equals("[::]");
    }

    /**
     * True when every address {@code listen} stands for is a loopback address (127.0.0.0/8, ::1,
     * localhost). A name that does not resolve is not loopback: the safe answer is HTTPS.
     */
    public static boolean isLoopback(String listen) {
        if (isWildcard(listen)) return false;
        try {
            InetAddress[] all = InetAddress.getAllByName(strip(listen));
            for (InetAddress a : all) if (!a.isLoopbackAddress()) return false;
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The names and addresses desks may use to reach a coordinator listening on {@code listen}: the
     * machine's host name, {@code localhost}, the loopback addresses, the listen address itself
     * (every interface's when it is a wildcard) and the configured extra names. Sorted, no duplicates.
     */
    public static List<String> serverNames(String listen, List<String> extra) {
        Set<String> names = new TreeSet<>(extra);
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName());
            names.add(local.getCanonicalHostName());
        } catch (UnknownHostException e) {
            // A machine without a resolvable name: its addresses and the extra names still count.
        }
        if (isWildcard(listen)) {
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (!ni.isUp()) continue;
                    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                        if (a instanceof Inet6Address && a.isLinkLocalAddress())
                            continue; // needs a scope: not in a certificate
                        names.add(address(a));
                    }
                }
            } catch (SocketException e) {
                // No interface list: the host name still resolves to them.
            }
        } else {
            String l = strip(listen);
            names.add(l);
            try {
                for (InetAddress a : InetAddress.getAllByName(l)) names.add(address(a));
            } catch (UnknownHostException e) {
                // The server could not bind it either; it fails with its own message.
            }
        }
        names.removeIf(n -> n == null || n.isBlank());
        return List.copyOf(names);
    }

    private static String address(InetAddress a) {
        String s = a.getHostAddress();
        int scope = s.indexOf('%');
        return scope < 0 ? s : s.substring(0, scope);
    }

    private static String strip(String listen) {
        String l = listen.strip();
        return l.startsWith("[") && l.endsWith("]") ? l.substring(1, l.length() - 1) : l;
    }
}
