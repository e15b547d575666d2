package org.cyphon.coordinator.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's own small PKI, for an office without one: a CA made once, at first start, and
 * a server certificate it signs for the names and addresses desks reach the coordinator by.
 *
 * <p>Files under {@code data_dir/tls} (mode 0700): {@code ca.key} and {@code server.key} (0600),
 * {@code ca.crt} and {@code server.crt}. The CA never changes, so the fingerprint desks pinned
 * stays right; the server certificate is issued again at a start when the machine gained a name or
 * an address it does not cover, or it has less than {@link #RENEW_BEFORE} left.
 */
public final class SelfIssuedCertificates {
    private static final Logger log = LoggerFactory.getLogger(SelfIssuedCertificates.class);
    private static final Duration CA_LIFETIME = Duration.ofDays(20 * 365);
    private static final Duration SERVER_LIFETIME = Duration.ofDays(2 * 365);
    static final Duration RENEW_BEFORE = Duration.ofDays(60);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfIssuedCertificates() {}

    /**
     * The server's key and chain (server certificate, then the CA), making what is missing.
     *
     * @param names host names and addresses the server certificate must name
     */
    public static ServerIdentity ensure(Path tlsDir, List<String> names, Instant now) throws IOException {
        PrivateFiles.privateDirectory(tlsDir);
        Path caKeyFile = tlsDir.resolve("ca.key");
        Path caCertFile = tlsDir.resolve("ca.crt");
        Path serverKeyFile = tlsDir.resolve("server.key");
        Path serverCertFile = tlsDir.resolve("server.crt");
        try {
            PrivateKey caKey;
            X509Certificate ca;
            if (Files.exists(caKeyFile) && Files.exists(caCertFile)) {
                caKey = PemFiles.readKey(caKeyFile, "tls (self-issued CA)");
                ca = PemFiles.readChain(caCertFile, "tls (self-issued CA)").get(0);
            } else {
                KeyPair pair = newKeyPair();
                ca = issueCa(pair, now);
                caKey = pair.getPrivate();
                PrivateFiles.writeSecret(caKeyFile, PemFiles.privateKeyPem(caKey));
                PrivateFiles.writePublic(caCertFile, PemFiles.certificatePem(ca));
                log.info("made the coordinator's own certificate authority in {}", tlsDir);
            }
            if (Files.exists(serverKeyFile) && Files.exists(serverCertFile)) {
                X509Certificate server =
                        PemFiles.readChain(serverCertFile, "tls (self-issued)").get(0);
                if (stillGood(server, ca, names, now)) {
                    return new ServerIdentity(
                            PemFiles.readKey(serverKeyFile, "tls (self-issued)"), List.of(server, ca));
                }
            }
            KeyPair pair = newKeyPair();
            X509Certificate server = issueServer(pair.getPublic(), ca, caKey, names, now);
            PrivateFiles.writeSecret(serverKeyFile, PemFiles.privateKeyPem(pair.getPrivate()));
            PrivateFiles.writePublic(serverCertFile, PemFiles.certificatePem(server));
            log.info("issued the coordinator's server certificate for {}", names);
            return new ServerIdentity(pair.getPrivate(), List.of(server, ca));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the coordinator's certificates in " + tlsDir + ": " + e, e);
        }
    }

    private static boolean stillGood(X509Certificate server, X509Certificate ca, List<String> names, Instant now) {
        try {
            server.verify(ca.getPublicKey());
            if (server.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) return false;
            return namesIn(server)
                    .containsAll(names.stream()
                            .map(SelfIssuedCertificates::normalize)
                            .toList());
        } catch (GeneralSecurityException e) {
            return false; // signed by another CA (the CA files were replaced): issue anew
        }
    }

    private static Set<String> namesIn(X509Certificate c) throws CertificateParsingException {
        Set<String> names = new HashSet<>();
        Collection<List<?>> sans = c.getSubjectAlternativeNames();
        if (sans != null) for (List<?> san : sans) names.add(normalize(String.valueOf(san.get(1))));
        return names;
    }

    // The JDK prints IPv6 SANs in full (0:0:0:0:0:0:0:1) where we write ::1: compare both in the JDK's form.
    private static String normalize(String name) {
        if (!name.contains(":")) return name;
        try {
            return InetAddress.getByName(name).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return name;
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate issueCa(KeyPair pair, Instant now)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        X500Name name = new X500Name("CN=Cyphon coordinator CA " + Long.toHexString(RANDOM.nextLong() >>> 16));
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                        name,
                        serial(),
                        Date.from(now.minus(Duration.ofHours(1))), // a desk's clock a little behind still accepts it
                        Date.from(now.plus(CA_LIFETIME)),
                        name,
                        pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
        return sign(b, pair.getPrivate());
    }

    private static X509Certificate issueServer(
            PublicKey key, X509Certificate ca, PrivateKey caKey, List<String> names, Instant now)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        GeneralName[] sans = names.stream().map(SelfIssuedCertificates::san).toArray(GeneralName[]::new);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                        ca,
                        serial(),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(SERVER_LIFETIME)),
                        new X500Name("CN=" + (names.isEmpty() ? "cyphon" : safeCn(names.get(0)))),
                        key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
        return sign(b, caKey);
    }

    private static GeneralName san(String name) {
        boolean address = name.matches("[0-9.]+") || name.contains(":");
        return new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, name);
    }

    private static String safeCn(String name) {
        return name.replaceAll("[^A-Za-z0-9.:*-]", "");
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    }

    private static BigInteger serial() {
        return new BigInteger(120, RANDOM).add(BigInteger.ONE);
    }
}
