package org.cyphon.coordinator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.core.protocol.CaFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void loopbackIsPlainHttpUnlessAlways() throws Exception {
        assertThat(ServerTls.choose("127.0.0.1", TlsSettings.DEFAULT, tmp, NOW)).isNull();
        assertThat(ServerTls.choose("127.0.0.2", TlsSettings.DEFAULT, tmp, NOW)).isNull();
        assertThat(ServerTls.choose("localhost", TlsSettings.DEFAULT, tmp, NOW)).isNull();
        assertThat(Files.exists(tmp.resolve("tls"))).isFalse();
        assertThat(ServerTls.choose("127.0.0.1", TlsSettings.DEFAULT.always(), tmp, NOW))
                .isNotNull();
    }

    @Test
    void anythingButLoopbackIsHttps() {
        assertThat(ListenAddress.isLoopback("0.0.0.0")).isFalse();
        assertThat(ListenAddress.isLoopback("::")).isFalse();
        assertThat(ListenAddress.isLoopback("10.1.2.3")).isFalse();
        assertThat(ListenAddress.isLoopback("no-such-host.invalid")).isFalse();
        assertThat(ListenAddress.isLoopback("[::1]")).isTrue();
        assertThat(ListenAddress.isLoopback("127.0.0.2")).isTrue();
    }

    @Test
    void theSelfIssuedCaIsMadeOnceAndSignsAServerCertificateForTheNames() throws Exception {
        ServerIdentity first = ServerTls.choose(
                "127.0.0.1",
                new TlsSettings(TlsSettings.Mode.ALWAYS, null, null, List.of("cyphon.office.lan")),
                tmp,
                NOW);
        X509Certificate server = first.chain().get(0);
        X509Certificate ca = first.chain().get(1);
        server.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getSubjectAlternativeNames())
                .extracting(san -> String.valueOf(san.get(1)))
                .contains("cyphon.office.lan", "localhost", "127.0.0.1");
        assertThat(first.caFingerprint()).isEqualTo(CaFingerprint.ofDer(ca.getEncoded()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("tls/ca.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("tls/server.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("tls"))))
                .isEqualTo("rwx------");

        // A restart keeps the CA (desks pinned it) and the server certificate that still covers the names.
        ServerIdentity again = ServerTls.choose(
                "127.0.0.1",
                new TlsSettings(TlsSettings.Mode.ALWAYS, null, null, List.of("cyphon.office.lan")),
                tmp,
                NOW);
        assertThat(again.caFingerprint()).isEqualTo(first.caFingerprint());
        assertThat(again.chain().get(0)).isEqualTo(server);

        // A new name gets a new server certificate from the same CA.
        ServerIdentity renamed = ServerTls.choose(
                "127.0.0.1",
                new TlsSettings(TlsSettings.Mode.ALWAYS, null, null, List.of("desks.office.lan")),
                tmp,
                NOW);
        assertThat(renamed.caFingerprint()).isEqualTo(first.caFingerprint());
        assertThat(renamed.chain().get(0)).isNotEqualTo(server);
        assertThat(renamed.chain().get(0).getSubjectAlternativeNames())
                .extracting(san -> String.valueOf(san.get(1)))
                .contains("desks.office.lan");
    }

    @Test
    void pemFilesNamedInTheConfigAreServedAsTheyAre() throws Exception {
        // An office PKI: here another coordinator's files, read as plain PEM.
        SelfIssuedCertificates.ensure(tmp.resolve("office"), List.of("127.0.0.1"), NOW);
        Path chain = tmp.resolve("fullchain.pem");
        Files.writeString(
                chain,
                Files.readString(tmp.resolve("office/server.crt")) + Files.readString(tmp.resolve("office/ca.crt")));
        Path toml = tmp.resolve("coordinator.toml");
        Files.writeString(toml, """
                data_dir = "data"
                [http]
                listen = "127.0.0.1"
                [tls]
                mode = "always"
                cert = "fullchain.pem"
                key = "office/server.key"
                """);
        CoordinatorConfig config = CoordinatorConfig.load(toml);
        ServerIdentity id = ServerTls.choose(config.listen(), config.tls(), config.dataDir(), NOW);
        assertThat(id.chain()).hasSize(2);
        assertThat(id.caFingerprint().text())
                .isEqualTo(CaFingerprint.ofDer(PemFiles.readChain(tmp.resolve("office/ca.crt"), "x")
                                .get(0)
                                .getEncoded())
                        .text());
        assertThat(Files.exists(tmp.resolve("data/tls"))).isFalse();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAtStartNamingTheKey() throws Exception {
        SelfIssuedCertificates.ensure(tmp.resolve("a"), List.of("127.0.0.1"), NOW);
        SelfIssuedCertificates.ensure(tmp.resolve("b"), List.of("127.0.0.1"), NOW);
        TlsSettings wrong = new TlsSettings(
                TlsSettings.Mode.ALWAYS, tmp.resolve("a/server.crt"), tmp.resolve("b/server.key"), null);
        assertThatThrownBy(() -> ServerTls.choose("127.0.0.1", wrong, tmp, NOW))
                .hasMessageContaining("tls.key")
                .hasMessageContaining("is not the key of the first certificate");
    }

    @Test
    void configMistakesAreNamedByKey() throws Exception {
        Path toml = tmp.resolve("c.toml");
        Files.writeString(toml, "[tls]\nmode = \"sometimes\"\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml)).hasMessageContaining("tls.mode");
        Files.writeString(toml, "[tls]\ncert = \"x.pem\"\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml)).hasMessageContaining("tls.cert: given without tls.key");
        Files.writeString(toml, "[tls]\ncertificate = \"x.pem\"\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(toml)).hasMessageContaining("tls.certificate: unknown key");
        Files.writeString(toml, "[tls]\nmode = \"always\"\ncert = \"missing.pem\"\nkey = \"missing.key\"\n");
        CoordinatorConfig c = CoordinatorConfig.load(toml);
        assertThatThrownBy(() -> ServerTls.choose(c.listen(), c.tls(), c.dataDir(), NOW))
                .hasMessageContaining("tls.cert: cannot read");
    }
}
