package org.cyphon.cli.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.cyphon.agent.client.CoordinatorClient;
import org.cyphon.agent.client.CoordinatorTransport;
import org.cyphon.agent.client.CoordinatorTrust;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.cli.client.CoordinatorUnreachable;
import org.cyphon.cli.client.CyphonClient;
import org.cyphon.cli.client.Endpoint;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.coordinator.tls.TlsSettings;
import org.cyphon.core.protocol.CaFingerprint;
import org.cyphon.core.protocol.EnrollRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's and the CLI's TLS checks, attacked over real sockets: a real coordinator serving
 * HTTPS on loopback, and a man in the middle with a CA of his own.
 */
class TlsPinningTest {
    @TempDir
    Path tmp;

    private Coordinator coordinator;
    private ManInTheMiddle mitm;
    private CaFingerprint pin;

    @BeforeEach
    void start() throws Exception {
        coordinator = Coordinator.start(CoordinatorConfig.defaults(tmp.resolve("coordinator"))
                .withPort(0)
                .withTls(TlsSettings.DEFAULT.always()));
        pin = CaFingerprint.parse(coordinator.caFingerprint());
        mitm = new ManInTheMiddle(tmp.resolve("mitm"));
    }

    @AfterEach
    void stop() throws Exception {
        mitm.close();
        coordinator.close();
    }

    @Test
    void theCoordinatorServesHttpsAndSaysWhichCa() {
        assertThat(coordinator.url()).startsWith("https://127.0.0.1:");
        assertThat(coordinator.caFingerprint()).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void anAgentWithTheRightPinEnrollsOverHttps() throws Exception {
        CoordinatorClient agent = new CoordinatorClient(
                CoordinatorTransport.of(URI.create(coordinator.url()), new CoordinatorTrust(pin, false), "-"));
        var reply = agent.enroll(coordinator.enrollToken(), enrollment("desk-1"));
        assertThat(reply.machine()).isEqualTo("desk-1");
    }

    @Test
    void anAgentRefusesAManInTheMiddleAndSendsHimNothing() {
        CoordinatorClient agent = new CoordinatorClient(
                CoordinatorTransport.of(URI.create(mitm.url()), new CoordinatorTrust(pin, false), "-"));
        assertThatThrownBy(() -> agent.enroll(coordinator.enrollToken(), enrollment("desk-1")))
                .isInstanceOf(CoordinatorUnreachableException.class)
                .hasMessageContaining("does not match the pinned ca_fingerprint " + pin);
        assertThat(mitm.connections()).isPositive();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> mitm.requestBytes() == 0);
    }

    @Test
    void anAgentWithoutAPinTrustsOnlyTheSystemsCas() {
        CoordinatorClient agent = new CoordinatorClient(URI.create(mitm.url()));
        assertThatThrownBy(() -> agent.enroll(coordinator.enrollToken(), enrollment("desk-1")))
                .isInstanceOf(CoordinatorUnreachableException.class)
                .hasMessageContaining("PKIX");
        assertThat(mitm.connections()).isPositive();
        assertThat(mitm.requestBytes()).isZero();
    }

    @Test
    void theCliWithTheRightPinTalksToTheCoordinator() {
        CyphonClient cli = new CyphonClient(new Endpoint(
                URI.create(coordinator.url()), coordinator.adminToken(), new CoordinatorTrust(pin, false)));
        assertThat(cli.whoami().admin()).isTrue();
    }

    @Test
    void theCliRefusesAManInTheMiddleAndSendsHimNoToken() {
        Endpoint e = Endpoint.resolve(
                mitm.url(),
                coordinator.adminToken(),
                Map.of(
                        "CYPHON_CA_FINGERPRINT", pin.text(),
                        "CYPHON_CONFIG", tmp.resolve("none.toml").toString(),
                        "HOME", tmp.toString()));
        assertThatThrownBy(() -> new CyphonClient(e).whoami())
                .isInstanceOf(CoordinatorUnreachable.class)
                .hasMessageContaining("does not match the pinned ca_fingerprint");
        assertThat(mitm.connections()).isPositive();
        assertThat(mitm.requestBytes()).isZero();
    }

    @Test
    void theCliWithoutAPinRefusesTheSelfIssuedCaAndSaysHowToPinIt() {
        CyphonClient cli = new CyphonClient(new Endpoint(URI.create(coordinator.url()), coordinator.adminToken()));
        assertThatThrownBy(cli::whoami).hasMessageContaining("cyphon login");
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedBeforeAnyConnectionUnlessAllowed() {
        URI remote = URI.create("http://10.213.7.1:7070");
        assertThatThrownBy(() -> new CoordinatorClient(remote))
                .hasMessageContaining("refusing plain HTTP to 10.213.7.1")
                .hasMessageContaining("insecure_http = true");
        assertThatThrownBy(() -> new CyphonClient(new Endpoint(remote, "t")))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("insecure_http = true in the client config");
        // Written in the config, it is the person's choice.
        assertThat(CoordinatorTransport.of(remote, new CoordinatorTrust(null, true), "-")
                        .https())
                .isFalse();
    }

    private static EnrollRequest enrollment(String name) {
        return new EnrollRequest(name, 1.0, 1L << 30, "nice-only", "", "test");
    }
}
