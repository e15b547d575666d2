package org.cyphon.agent.client;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.cyphon.core.protocol.CaFingerprint;

/**
 * Trusts a coordinator only when its certificate chain leads to the pinned CA: the CA is found in
 * the chain the server sends (or, for a public CA the server leaves out, among the system's trusted
 * roots) by its SHA-256 fingerprint, and the chain below it must validate against it as the one
 * trust anchor (signatures, validity dates, CA constraints). Any other CA, however trusted by the
 * system, is refused, so a man in the middle with a certificate of his own gets no handshake and
 * therefore no request. The host name is checked against the certificate as usual, by the JDK.
 */
public final class PinnedCaTrustManager implements X509TrustManager {
    private final CaFingerprint pin;

    public PinnedCaTrustManager(CaFingerprint pin) {
        this.pin = pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) throw new CertificateException("the coordinator sent no certificate");
        int at = -1;
        for (int i = 0; i < chain.length && at < 0; i++) if (pin.matches(chain[i].getEncoded())) at = i;
        X509Certificate anchor;
        List<X509Certificate> below;
        if (at >= 0) {
            anchor = chain[at];
            below = Arrays.asList(chain).subList(0, at);
        } else {
            anchor = systemRoot();
            if (anchor == null) {
                throw new CertificateException(
                        "the coordinator's certificate does not match the pinned ca_fingerprint "
                                + pin + ": it presented CA " + fingerprint(chain[chain.length - 1]) + " ("
                                + chain[chain.length - 1]
                                        .getSubjectX500Principal()
                                        .getName()
                                + "). A man in the middle, or a coordinator whose CA changed: check with its admin before pinning anew");
            }
            below = Arrays.asList(chain);
        }
        if (below.isEmpty()) {
            anchor.checkValidity(); // the pinned certificate is the server's own
            return;
        }
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false); // a private CA publishes no revocation lists
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(below), params);
        } catch (GeneralSecurityException e) {
            throw new CertificateException(
                    "the coordinator's certificate chain does not validate against the pinned CA " + pin + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager checks coordinators, not clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    /** The system's trusted root with the pinned fingerprint (a public CA pinned by its root), or null. */
    private X509Certificate systemRoot() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (!(tm instanceof X509TrustManager x)) continue;
                for (X509Certificate root : x.getAcceptedIssuers()) if (pin.matches(root.getEncoded())) return root;
            }
        } catch (GeneralSecurityException e) {
            return null;
        }
        return null;
    }

    private static String fingerprint(X509Certificate c) {
        try {
            return CaFingerprint.ofDer(c.getEncoded()).text();
        } catch (CertificateEncodingException e) {
            return "(unreadable)";
        }
    }
}
