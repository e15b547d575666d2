package org.cyphon.cli.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.cyphon.core.protocol.CaFingerprint;

/**
 * The certificate chain a coordinator presents, fetched by a TLS handshake alone: no HTTP request
 * (and so no token) is sent to a server that is not yet trusted. What {@code cyphon login} shows
 * before it pins anything.
 *
 * @param chain as the server sent it, its own certificate first
 * @param ca    the CA to pin: the chain's self-signed root, else the system root that signed the
 *              chain's last certificate, else that last certificate
 */
public record ServerChain(List<X509Certificate> chain, X509Certificate ca) {
    private static final int TIMEOUT_MILLIS = 10_000;

    public CaFingerprint caFingerprint() {
        try {
            return CaFingerprint.ofDer(ca.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the CA certificate", e);
        }
    }

    /** Handshakes with {@code url}'s host and port and returns what it presented. */
    public static ServerChain fetch(URI url) throws IOException {
        Recorder recorder = new Recorder();
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {recorder}, new SecureRandom());
            int port = url.getPort() > 0 ? url.getPort() : 443;
            try (SSLSocket s = (SSLSocket) c.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress(url.getHost(), port), TIMEOUT_MILLIS);
                s.setSoTimeout(TIMEOUT_MILLIS);
                s.startHandshake();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
        if (recorder.chain == null || recorder.chain.length == 0) {
            throw new IOException("the server at " + url + " presented no certificate");
        }
        List<X509Certificate> chain = List.of(recorder.chain);
        return new ServerChain(chain, caOf(chain));
    }

    private static X509Certificate caOf(List<X509Certificate> chain) {
        X509Certificate last = chain.get(chain.size() - 1);
        if (last.getIssuerX500Principal().equals(last.getSubjectX500Principal())) return last;
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (!(tm instanceof X509TrustManager x)) continue;
                for (X509Certificate root : x.getAcceptedIssuers()) {
                    if (!root.getSubjectX500Principal().equals(last.getIssuerX500Principal())) continue;
                    try {
                        last.verify(root.getPublicKey());
                        return root;
                    } catch (GeneralSecurityException notThisOne) {
                        // Same name, other key: keep looking.
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            return last;
        }
        return last;
    }

    /** Accepts any chain, only to record it: the handshake is finished but nothing is sent over it. */
    private static final class Recorder implements X509TrustManager {
        X509Certificate[] chain;

        @Override
        public void checkServerTrusted(X509Certificate[] presented, String authType) {
            this.chain = presented.clone();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] presented, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
