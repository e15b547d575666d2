package org.cyphon.coordinator.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the coordinator serves HTTPS and with what: plain HTTP only on loopback (unless
 * {@code tls.mode = "always"}); otherwise the PEM files {@code tls.cert} and {@code tls.key} name,
 * or the coordinator's own CA and certificate from {@link SelfIssuedCertificates}.
 */
public final class ServerTls {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private ServerTls() {}

    /** @return the identity to serve HTTPS with, or null for plain HTTP */
    public static ServerIdentity choose(String listen, TlsSettings tls, Path dataDir, Instant now) throws IOException {
        if (tls.mode() == TlsSettings.Mode.AUTO && ListenAddress.isLoopback(listen)) return null;
        if (tls.certFile() != null) {
            List<X509Certificate> chain = PemFiles.readChain(tls.certFile(), "tls.cert");
            PrivateKey key = PemFiles.readKey(tls.keyFile(), "tls.key");
            ServerIdentity id = new ServerIdentity(key, chain);
            requireMatchingKey(id, tls);
            log.info(
                    "serving HTTPS with {} ({}), CA {}",
                    tls.certFile(),
                    chain.get(0).getSubjectX500Principal(),
                    id.caFingerprint());
            return id;
        }
        ServerIdentity id = SelfIssuedCertificates.ensure(
                dataDir.resolve("tls"), ListenAddress.serverNames(listen, tls.names()), now);
        log.info(
                "serving HTTPS with the coordinator's own CA {} (pin it: cyphon login URL --ca-fingerprint {})",
                id.caFingerprint(),
                id.caFingerprint());
        return id;
    }

    // A key from another certificate would fail every handshake with an obscure error: say it at start.
    private static void requireMatchingKey(ServerIdentity id, TlsSettings tls) {
        try {
            java.security.Signature s = java.security.Signature.getInstance(
                    id.key().getAlgorithm().equals("EC")
                            ? "SHA256withECDSA"
                            : "SHA256with" + id.key().getAlgorithm());
            byte[] probe = "cyphon".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            s.initSign(id.key());
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(id.chain().get(0).getPublicKey());
            s.update(probe);
            if (!s.verify(sig)) throw new java.security.SignatureException("mismatch");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.key: " + tls.keyFile()
                    + " is not the key of the first certificate in " + tls.certFile() + " (" + e.getMessage() + ")");
        }
    }
}
