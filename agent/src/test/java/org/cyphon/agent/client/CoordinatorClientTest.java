package org.cyphon.agent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.ReportBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real coordinator over real HTTP: what it is told, refused, and cannot reach. */
class CoordinatorClientTest {
    @TempDir
    Path temp;

    private static EnrollRequest desk(String name) {
        return new EnrollRequest(name, 4, 8L << 30, "nice-only", null, "test", "unavailable: test");
    }

    @Test
    void enrollsPollsReportsAndIsRefusedWithTheCoordinatorsReason() throws Exception {
        try (Coordinator coordinator = Coordinator.start(
                CoordinatorConfig.defaults(temp.resolve("coordinator")).withPort(0))) {
            CoordinatorClient client = new CoordinatorClient(URI.create(coordinator.url() + "/"));

            // With the coordinator's reason, not a bare "refused": a refused desk's log must say why.
            assertThatThrownBy(() -> client.enroll("not-the-token", desk("desk-1")))
                    .isInstanceOfSatisfying(
                            CoordinatorRefusedException.class,
                            e -> assertThat(e.status()).isEqualTo(401))
                    .message()
                    .doesNotStartWith("refused");

            var reply = client.enroll(coordinator.enrollToken(), desk("desk-1"));
            assertThat(reply.machine()).isEqualTo("desk-1");
            assertThat(reply.heartbeatMillis()).isPositive();
            long t0 = System.nanoTime();
            assertThat(client.pollWork(Duration.ofMillis(300)).assignments()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("the long poll waited")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(client.report(new ReportBatch(List.of())).results()).isEmpty();

            // Output for an attempt this desk never held: refused, naming why.
            assertThatThrownBy(() -> client.uploadOutput(987654, "stdout", 0, new byte[] {'x'}))
                    .isInstanceOfSatisfying(
                            CoordinatorRefusedException.class,
                            e -> assertThat(e.status()).isBetween(400, 499));

            // A token the coordinator does not know.
            client.useCredentials("desk-1", "forged");
            assertThatThrownBy(() -> client.pollWork(Duration.ofMillis(10)))
                    .isInstanceOfSatisfying(
                            CoordinatorRefusedException.class,
                            e -> assertThat(e.status()).isEqualTo(401))
                    .message()
                    .doesNotStartWith("refused");
        }
    }

    @Test
    void aCoordinatorThatIsNotThereIsUnreachableNotRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        CoordinatorClient client = new CoordinatorClient(URI.create("http://127.0.0.1:" + port));
        assertThatThrownBy(() -> client.enroll("token", desk("desk-1")))
                .isInstanceOf(CoordinatorUnreachableException.class)
                .hasMessageContaining("cannot reach the coordinator at http://127.0.0.1:" + port);
    }
}
