package org.cyphon.agent.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS setup of an HTTP client that only ever speaks plain {@code http://}.
 *
 * <p>Why: {@link HttpClient#newBuilder()} without an SSL context takes the JVM's default one, whose
 * first use parses the whole CA bundle (some 150 certificates: hundreds of X.509 and ASN.1 classes
 * and a megabyte or two of heap) — for a coordinator reached over plain HTTP on the office LAN, a
 * cost the agent would carry on every desk for nothing. For an {@code https://} coordinator the
 * default context is used, unchanged.
 */
final class UnusedTls {

    private UnusedTls() {}

    /** A builder for {@code coordinator}'s scheme: the JVM's TLS defaults for https, none loaded for http. */
    static HttpClient.Builder clientFor(URI coordinator) {
        HttpClient.Builder b = HttpClient.newBuilder();
        if (!"http".equalsIgnoreCase(coordinator.getScheme())) return b;
        try {
            SSLContext none = SSLContext.getInstance("TLS");
            none.init(new KeyManager[0], new TrustManager[] {new TrustNothing()}, null);
            return b.sslContext(none);
        } catch (GeneralSecurityException e) {
            return b; // cannot happen with the JDK's providers; the defaults then work as before
        }
    }

    /** Refuses every certificate: if this client were ever pointed at TLS, it must not trust blindly. */
    private static final class TrustNothing implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this client was set up for plain http only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this client was set up for plain http only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
