package org.cyphon.agent.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Whether a URL's host is this machine: traffic to it never leaves the machine, so plain HTTP to it
 * shows no token to the network.
 */
public final class LoopbackHost {
    private LoopbackHost() {}

    /**
     * True when every address the host stands for is a loopback address (127.0.0.0/8, ::1,
     * {@code localhost}). A name that does not resolve is not loopback: the answer that refuses.
     */
    public static boolean is(URI url) {
        String host = url.getHost();
        if (host == null || host.isBlank()) return false;
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) if (!a.isLoopbackAddress()) return false;
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
