package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of desks whose uploads stall half-way (a slow link, a desk suspended mid-request) must
 * not keep any other desk's heartbeat waiting: each request has a thread of its own that waits
 * without holding one of a fixed few. With a pool of platform threads (Jetty's 250) the stalled
 * reports held them all until the body timeout, and a beat or a health check queued behind them.
 * The attack comes from where a desk stands: its own valid agent token, real sockets.
 */
class StalledUploadsTest {
    /** More than any platform thread pool Jetty or Javalin would start with. */
    private static final int STALLED = 400;

    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    @Test
    void aHeartbeatIsAnsweredWhileHundredsOfReportUploadsStallHalfWay() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(TestStore.H2, dir, cfg -> cfg.withBodyTimeout(BODY_TIMEOUT))) {
            TestAgent slow = c.agent("slow-desk", 2);
            TestAgent other = c.agent("other-desk", 2);
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < STALLED; i++) stalled.add(stallReport(c, slow));
                // Every stalled request sits in its handler, waiting for the rest of its body: none is answered.
                org.awaitility.Awaitility.await()
                        .during(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> unanswered(stalled));

                long t0 = System.nanoTime();
                assertThat(other.beat().leaseExpiresAt()).isNotNull();
                assertThat(c.anonymous().get("/api/v1/health").status()).isEqualTo(200);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(took)
                        .as("a beat and a health check while %d uploads stall (body timeout %s)", STALLED, BODY_TIMEOUT)
                        .isLessThan(BODY_TIMEOUT.dividedBy(4));
            } finally {
                for (Socket s : stalled) s.close();
            }
        }
    }

    private static boolean unanswered(List<Socket> sockets) throws java.io.IOException {
        for (Socket s : sockets) if (s.getInputStream().available() > 0) return false;
        return true;
    }

    /** Posts a report batch's headers and the first byte of a body it declares 1000 bytes long. */
    private static Socket stallReport(TestCoordinator c, TestAgent desk) throws Exception {
        Socket s = new Socket(
                java.net.InetAddress.getLoopbackAddress(), c.coordinator().port());
        String head = "POST /api/v1/agents/" + desk.name + "/reports HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: Bearer " + desk.api.token() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }
}
