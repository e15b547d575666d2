package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's input channel over a real UNIX socket with real bytes: the test listens where QEMU's
 * chardev would ({@code input.sock}) and writes what guest tools, a broken guest and a hostile one
 * would.
 */
class GuestInputSensorTest {
    @TempDir
    Path dir;

    private final List<OwnerSignal> signals = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eachLineTheGuestWritesIsInputAndAVmThatComesBackIsReadAgain() throws Exception {
        Path socket = dir.resolve("input.sock");
        try (GuestInputSensor sensor = new GuestInputSensor(socket, Clock.systemUTC(), Duration.ofMillis(50))) {
            assertThat(sensor.start(signals::add)).isTrue();
            assertThat(sensor.status()).startsWith("waiting for the desk VM");

            // The VM starts: QEMU listens, the sensor connects, the guest reports a key.
            try (ServerSocketChannel vm = listen(socket);
                    SocketChannel port = vm.accept()) {
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> sensor.status().equals("ok"));
                long before = System.nanoTime();
                write(port, "input 12345\n");
                await().atMost(Duration.ofSeconds(5)).until(() -> !signals.isEmpty());
                System.out.printf(
                        "GuestInputSensorTest: line to signal %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before));
                InputSeen seen = (InputSeen) signals.getFirst();
                assertThat(seen.source()).isEqualTo(GuestInputSensor.SOURCE);
                assertThat(seen.lastInput()).isEqualTo(seen.at());
                assertThat(Duration.between(seen.at(), Clock.systemUTC().instant()))
                        .isLessThan(Duration.ofSeconds(5));
            }

            // Saved and restored: a new QEMU, a new socket at the same path; any line counts.
            Files.deleteIfExists(socket);
            int seenBefore = signals.size();
            try (ServerSocketChannel vm = listen(socket);
                    SocketChannel port = vm.accept()) {
                write(port, "x\n");
                await().atMost(Duration.ofSeconds(5)).until(() -> signals.size() > seenBefore);
                assertThat(sensor.lines()).isEqualTo(2);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void overlongLinesBinaryGarbageAndAFloodDoNotHurtTheAgent() throws Exception {
        Path socket = dir.resolve("input.sock");
        try (ServerSocketChannel vm = listen(socket);
                GuestInputSensor sensor = new GuestInputSensor(socket, Clock.systemUTC(), Duration.ofMillis(50))) {
            sensor.start(signals::add);
            try (SocketChannel port = vm.accept()) {
                // A line far longer than any report, then bytes that never end a line: neither is input.
                byte[] longLine = new byte[GuestInputSensor.MAX_LINE * 40];
                Arrays.fill(longLine, (byte) 'a');
                write(port, longLine);
                write(port, new byte[] {'\n'});
                byte[] garbage = new byte[3000];
                for (int i = 0; i < garbage.length; i++) garbage[i] = (byte) (i * 31 % 251 == 10 ? 0 : i * 31 % 251);
                write(port, garbage);
                write(port, "\n".getBytes(StandardCharsets.US_ASCII)); // ends the garbage: too long, dropped
                // One real report after all that still counts.
                write(port, "input\n");
                await().atMost(Duration.ofSeconds(5)).until(() -> !signals.isEmpty());
                assertThat(sensor.lines()).as("only the real report is a line").isEqualTo(1);

                // A flood of reports: several times what the sensor reads in a second. The sensor
                // slows the guest down (the test's writes block) and passes at most one signal per
                // rate-limit interval.
                int floodLines = GuestInputSensor.MAX_BYTES_PER_SECOND / 6 * 3;
                ByteBuffer flood = ByteBuffer.wrap("input\n".repeat(floodLines).getBytes(StandardCharsets.US_ASCII));
                int signalsBefore = signals.size();
                long start = System.nanoTime();
                while (flood.hasRemaining()) port.write(flood);
                await().atMost(Duration.ofSeconds(20)).until(() -> sensor.lines() == 1 + floodLines);
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(elapsedMs)
                        .as("three seconds' worth of reports read at the sensor's pace")
                        .isGreaterThanOrEqualTo(1500);
                long limit = elapsedMs / EvdevDeviceReader.RATE_LIMIT.toMillis() + 2;
                assertThat(signals.size() - signalsBefore)
                        .as(
                                "signals passed during the flood (at most one per %d ms)",
                                EvdevDeviceReader.RATE_LIMIT.toMillis())
                        .isBetween(1, (int) limit);
                assertThat(sensor.status()).isEqualTo("ok");
            }
        }
    }

    private static ServerSocketChannel listen(Path socket) throws Exception {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        return s;
    }

    private static void write(SocketChannel c, String text) throws Exception {
        write(c, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(SocketChannel c, byte[] bytes) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) c.write(b);
    }
}
