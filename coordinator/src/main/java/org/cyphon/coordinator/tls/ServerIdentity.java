package org.cyphon.coordinator.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.cyphon.core.protocol.CaFingerprint;

/**
 * What the coordinator proves itself with: its private key and its certificate chain, server
 * certificate first and the CA last.
 */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain) {
    static final char[] PASSWORD = "cyphon".toCharArray(); // an in-memory keystore: the file modes guard the key

    public ServerIdentity {
        if (chain.isEmpty()) throw new IllegalArgumentException("a certificate chain needs a certificate");
        chain = List.copyOf(chain);
    }

    /**
     * The fingerprint desks pin: of the chain's last certificate (the coordinator's own CA, or the
     * top of an office PKI's chain as the PEM file gives it).
     */
    public CaFingerprint caFingerprint() {
        try {
            return CaFingerprint.ofDer(chain.get(chain.size() - 1).getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the CA certificate", e);
        }
    }

    /** A keystore holding just this key and chain, for the HTTPS connector. */
    public KeyStore keyStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("coordinator", key, PASSWORD, chain.toArray(Certificate[]::new));
            return ks;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot hold the coordinator's key in a keystore: " + e.getMessage(), e);
        }
    }

    public char[] keyStorePassword() {
        return PASSWORD.clone();
    }
}
