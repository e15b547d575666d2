package org.cyphon.coordinator.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * Whether a state-changing browser request comes from a page of this server: browsers send
 * {@code Origin} with every POST (as this dashboard's pages use it: same origin, referrer policy
 * {@code same-origin}), and it must name the host the request was sent to.
 */
final class SameOrigin {
    private SameOrigin() {}

    /** Why the request is refused, or null when its origin is this server's. */
    static String refusal(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        String host = req.getHeader("Host");
        if (origin == null || origin.isEmpty()) return "a state-changing request from a browser must carry Origin";
        if (host == null || host.isEmpty()) return "missing Host header";
        String scheme = req.isSecure() ? "https" : "http";
        String own = scheme + "://" + host.toLowerCase(Locale.ROOT);
        if (!origin.toLowerCase(Locale.ROOT).equals(own)
                && !origin.toLowerCase(Locale.ROOT).equals(withDefaultPort(own, scheme)))
            return "cross-origin request refused (Origin " + abbreviate(origin) + " is not " + own + ")";
        return null;
    }

    /** {@code http://host} names {@code http://host:80} too. */
    private static String withDefaultPort(String own, String scheme) {
        String port = scheme.equals("https") ? ":443" : ":80";
        return own.endsWith(port) ? own.substring(0, own.length() - port.length()) : own + port;
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
