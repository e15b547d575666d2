package org.cyphon.coordinator.ha;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** How a coordinator names itself among the others on its store: {@code host:port}. */
public final class CoordinatorId {
    private CoordinatorId() {}

    /**
     * @param listen the address it listens on; a wildcard or loopback address says nothing to the
     *               others, so the machine's host name stands in for it
     */
    public static String of(String listen, int port) {
        String host = listen;
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = hostName();
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return host + ":" + port;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
