package org.cyphon.agent.client;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * How a client reaches the coordinator: its URL, and for {@code https} the TLS context that checks
 * the coordinator's certificate (against the pinned CA when there is one, else the system's CAs).
 * Plain HTTP is allowed to this machine only, unless the configuration says {@code insecure_http}:
 * anything else would show every token to the office network.
 *
 * @param ssl null for plain HTTP
 */
public record CoordinatorTransport(URI url, SSLContext ssl) {

    /**
     * Checks the URL against the trust settings and makes the TLS context.
     *
     * @param allowPlainBy how the person allows plain HTTP (the config key to write), for the error
     * @throws IllegalArgumentException for plain HTTP to another machine without {@code insecure_http}
     */
    public static CoordinatorTransport of(URI url, CoordinatorTrust trust, String allowPlainBy) {
        String scheme = url.getScheme();
        if ("http".equalsIgnoreCase(scheme)) {
            if (!trust.insecureHttp() && !LoopbackHost.is(url)) {
                throw new IllegalArgumentException("refusing plain HTTP to " + url.getHost()
                        + ", which is not this machine: every token would cross the network in clear. Use https://"
                        + " (the coordinator serves HTTPS on any non-loopback address), or write " + allowPlainBy
                        + " if you really mean it");
            }
            return new CoordinatorTransport(url, null);
        }
        if (!"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("'" + url + "' is not an http(s) URL");
        }
        return new CoordinatorTransport(url, context(trust));
    }

    private static SSLContext context(CoordinatorTrust trust) {
        try {
            if (trust.pin() == null) return SSLContext.getDefault();
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new PinnedCaTrustManager(trust.pin())}, new SecureRandom());
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public boolean https() {
        return ssl != null;
    }
}
