package org.cyphon.coordinator.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM in and out: certificate chains and private keys as an office PKI or certbot writes them
 * (PKCS#8 {@code PRIVATE KEY}, or the older {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY}).
 * Every failure names the file and the key of {@code coordinator.toml} that named it.
 */
final class PemFiles {
    private PemFiles() {}

    /** The certificates of a PEM file, in file order (a chain: the server's certificate first). */
    static List<X509Certificate> readChain(Path file, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) throw new IllegalArgumentException(key + ": " + file + " holds no PEM certificate");
            return List.copyOf(chain);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot read " + file + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    key + ": " + file + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
    }

    /** The first private key of a PEM file. */
    static PrivateKey readKey(Path file, String key) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser pem = new PEMParser(r)) {
            JcaPEMKeyConverter convert = new JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PrivateKeyInfo info) return convert.getPrivateKey(info);
                if (o instanceof PEMKeyPair pair)
                    return convert.getKeyPair(pair).getPrivate();
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException(
                            key + ": " + file
                                    + " holds an encrypted key; the coordinator starts unattended, so give it the key unencrypted (mode 0600)");
                }
            }
            throw new IllegalArgumentException(key + ": " + file + " holds no PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    key + ": cannot read " + file + " as a PEM private key: " + e.getMessage(), e);
        }
    }

    static byte[] certificatePem(X509Certificate c) {
        try {
            return pem("CERTIFICATE", c.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate we just made", e);
        }
    }

    /** PKCS#8, which every TLS stack and {@code openssl} reads. */
    static byte[] privateKeyPem(PrivateKey k) {
        return pem("PRIVATE KEY", k.getEncoded());
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
