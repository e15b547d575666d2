package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole pool connecting at once, as when the coordinator starts again and every desk reconnects:
 * the kernel must hold every connection request until the acceptor takes it. With the JDK's
 * default of 50 waiting the rest were dropped, and each desk's TCP asked again only after 1, 3,
 * 7 s (bench/run scale: first heartbeats 12–37 s, some "connect timed out").
 */
class ConnectionStormTest {
    /** Far past the old queue of 50; small enough for the tests' open-file limit (two sockets each). */
    private static final int DESKS = 1500;

    /** Under the first retransmission of a dropped connection request (1 s): a drop fails the connect. */
    private static final int CONNECT_TIMEOUT_MS = 900;

    @TempDir
    Path dir;

    @Test
    void fifteenHundredConnectionsAtOnceAreAllTakenWithoutTheKernelDroppingOne() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(TestStore.H2, dir);
                ExecutorService desks = Executors.newVirtualThreadPerTaskExecutor()) {
            int port = c.coordinator().port();
            assertThat(listenQueue(port)).as("the listening socket's queue").isGreaterThanOrEqualTo(1024);

            ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
            List<Future<?>> connects = new ArrayList<>();
            try {
                for (int i = 0; i < DESKS; i++) {
                    connects.add(desks.submit(() -> {
                        Socket s = new Socket();
                        open.add(s);
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
                        return null;
                    }));
                }
                int failed = 0;
                for (Future<?> f : connects) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        failed++;
                    }
                }
                assertThat(failed)
                        .as("connections that had to wait for a retransmission")
                        .isZero();
                // And the coordinator still answers.
                assertThat(c.anonymous().get("/api/v1/health").status()).isEqualTo(200);
            } finally {
                for (Socket s : open) s.close();
            }
        }
    }

    /** The listening socket's queue limit as the kernel has it (`ss`: Send-Q of a LISTEN socket). */
    private static int listenQueue(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port)
                .redirectErrorStream(true)
                .start();
        String out = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ss.waitFor()).as("ss: %s", out).isZero();
        String[] fields = out.trim().split("\\s+");
        assertThat(fields.length).as("ss: %s", out).isGreaterThanOrEqualTo(3);
        return Integer.parseInt(fields[2]);
    }
}
