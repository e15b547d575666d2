package org.cyphon.agent.desk;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The test guest's serial console, through the desk's serial socket: sends one command per line
 * and reads the guest's "=> " answers (tools/guest/init), skipping kernel messages in between.
 * Public for the end-to-end tests in cli, which drive the same guest under a real agent.
 */
public final class GuestConsole implements AutoCloseable {
    private final SocketChannel channel;
    private final OutputStream out;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private GuestConsole(SocketChannel channel) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        Thread reader = new Thread(this::read, "guest console");
        reader.setDaemon(true);
        reader.start();
    }

    public static GuestConsole attach(Path serialSocket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(serialSocket));
        return new GuestConsole(channel);
    }

    /** Waits until the guest has said it is ready on its console (seen in the desk's serial log). */
    public static void awaitReady(Path serialLog, Duration timeout) throws Exception {
        try {
            await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.exists(serialLog)
                            && Files.readString(serialLog, StandardCharsets.ISO_8859_1)
                                    .contains("CYPHON-GUEST READY"));
            return;
        } catch (ConditionTimeoutException e) {
            // said below, with the serial log
        }
        throw new AssertionError("the guest did not print CYPHON-GUEST READY within " + timeout.toSeconds()
                + " s; serial log: "
                + (Files.exists(serialLog) ? Files.readString(serialLog, StandardCharsets.ISO_8859_1) : "(none)"));
    }

    /** Sends {@code command} and returns the guest's answer (without "=> "), failing after {@code timeout}. */
    public String ask(String command, Duration timeout) throws Exception {
        send(command);
        String answer = nextAnswer(timeout);
        if (answer == null)
            throw new AssertionError("the guest did not answer '" + command + "' within " + timeout.toMillis() + " ms");
        return answer;
    }

    public String ask(String command) throws Exception {
        return ask(command, Duration.ofSeconds(10));
    }

    public void send(String command) throws IOException {
        out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The next answer, or null when none comes within {@code timeout}. */
    public String nextAnswer(Duration timeout) throws InterruptedException {
        return answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = in.readLine()) != null) {
                int at = line.indexOf("=> ");
                if (at >= 0) answers.add(line.substring(at + 3).trim());
            }
        } catch (IOException ignored) {
            // The VM went away or the test closed the console.
        }
    }
}
