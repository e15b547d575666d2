package org.cyphon.agent.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A client of the QEMU Machine Protocol on QEMU's unix socket: reads the greeting, enters command
 * mode ({@code qmp_capabilities}), then runs commands and collects asynchronous events.
 *
 * <p>QMP is one JSON object per line in each direction. Each command carries an {@code id} that
 * QEMU echoes in its answer, so one reader thread can hand answers to their callers and events to
 * {@link #awaitEvent}, whatever order they arrive in. Every wait has a timeout: a QEMU whose main
 * loop is stuck must not hang the agent.
 */
public final class QmpConnection implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int EVENTS_KEPT = 256;

    private final Path socket;
    private final SocketChannel channel;
    private final OutputStream out;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    /** The last {@value #EVENTS_KEPT} events with their sequence numbers; guarded by itself. */
    private final Deque<SequencedEvent> events = new ArrayDeque<>();

    private long eventCount;
    private volatile String closedBecause;

    private record SequencedEvent(long sequence, JsonNode event) {}

    private QmpConnection(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        Thread reader = new Thread(this::readLoop, "qmp " + socket.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects to the QMP socket at {@code socket}, retrying while it does not exist yet or refuses
     * (QEMU still starting) until {@code timeout}, and enters command mode.
     *
     * @throws IOException naming the socket when QEMU cannot be reached or does not greet
     */
    public static QmpConnection open(Path socket, Duration timeout) throws IOException {
        return open(socket, timeout, () -> true);
    }

    /**
     * As {@link #open(Path, Duration)}, giving up at once when {@code qemuAlive} says the QEMU
     * process is gone (a QEMU that exits while starting leaves its socket file behind).
     */
    public static QmpConnection open(Path socket, Duration timeout, BooleanSupplier qemuAlive) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                if (!qemuAlive.getAsBoolean()) throw new IOException("qemu exited (QMP socket " + socket + ")", e);
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot connect to QMP socket " + socket + ": " + e.getMessage(), e);
                }
                sleep(20);
                continue;
            }
            QmpConnection qmp = new QmpConnection(socket, channel);
            try {
                qmp.awaitGreeting(Duration.ofNanos(Math.max(
                        deadline - System.nanoTime(), Duration.ofSeconds(2).toNanos())));
                qmp.execute("qmp_capabilities");
                return qmp;
            } catch (IOException e) {
                qmp.close();
                throw e;
            }
        }
    }

    /** Runs {@code command} without arguments; see {@link #execute(String, Map, Duration)}. */
    public JsonNode execute(String command) throws IOException {
        return execute(command, Map.of(), DEFAULT_TIMEOUT);
    }

    /** Runs {@code command} with {@code arguments}, waiting up to 10 s; see {@link #execute(String, Map, Duration)}. */
    public JsonNode execute(String command, Map<String, ?> arguments) throws IOException {
        return execute(command, arguments, DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@code command} and returns QMP's {@code return} value.
     *
     * @throws QmpException when QEMU answers with an error
     * @throws IOException  when the connection is closed or QEMU does not answer within {@code timeout}
     */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) throws IOException {
        long id = ids.incrementAndGet();
        ObjectNode request = JSON.createObjectNode();
        request.put("execute", command);
        if (!arguments.isEmpty()) request.set("arguments", JSON.valueToTree(arguments));
        request.put("id", id);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            if (closedBecause != null) throw new IOException("QMP " + command + ": " + closedBecause);
            byte[] line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (out) {
                out.write(line);
                out.flush();
            }
            JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                JsonNode error = reply.get("error");
                throw new QmpException(
                        command,
                        error.path("class").asText("?"),
                        error.path("desc").asText("?"));
            }
            return reply.path("return");
        } catch (TimeoutException e) {
            throw new IOException("QEMU did not answer QMP " + command + " within " + timeout.toMillis()
                    + " ms (socket " + socket + ")");
        } catch (ExecutionException e) {
            throw new IOException("QMP " + command + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for QMP " + command, e);
        } finally {
            pending.remove(id);
        }
    }

    /** A mark for {@link #awaitEvent}: only events received after it count. */
    public long eventMark() {
        synchronized (events) {
            return eventCount;
        }
    }

    /**
     * Waits for an event named {@code name} (e.g. {@code SHUTDOWN}) received after {@code mark}.
     * Returns the event, or empty when none came within {@code timeout} or the connection closed.
     */
    public Optional<JsonNode> awaitEvent(String name, long mark, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (SequencedEvent e : events) {
                    if (e.sequence() > mark
                            && name.equals(e.event().path("event").asText())) return Optional.of(e.event());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closedBecause != null) return Optional.empty();
                try {
                    TimeUnit.NANOSECONDS.timedWait(events, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    /** False once QEMU closed the socket (it quit) or {@link #close()} was called. */
    public boolean isOpen() {
        return closedBecause == null;
    }

    @Override
    public void close() {
        markClosed("connection closed by the agent");
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket that is already broken has nothing left to release.
        }
    }

    private void awaitGreeting(Duration timeout) throws IOException {
        try {
            JsonNode hello = greeting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!hello.has("QMP")) throw new IOException("not a QMP greeting on " + socket + ": " + hello);
        } catch (TimeoutException e) {
            throw new IOException("no QMP greeting on " + socket + " within " + timeout.toMillis()
                    + " ms (another client connected?)");
        } catch (ExecutionException e) {
            throw new IOException(
                    "no QMP greeting on " + socket + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the QMP greeting", e);
        }
    }

    private void readLoop() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) continue;
                dispatch(JSON.readTree(line));
            }
            markClosed("QEMU closed the QMP connection");
        } catch (IOException e) {
            markClosed("QEMU closed the QMP connection (" + e.getMessage() + ")");
        }
    }

    private void dispatch(JsonNode message) {
        if (message.has("QMP")) {
            greeting.complete(message);
        } else if (message.has("event")) {
            synchronized (events) {
                events.addLast(new SequencedEvent(++eventCount, message));
                if (events.size() > EVENTS_KEPT) events.removeFirst();
                events.notifyAll();
            }
        } else if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.get(message.get("id").asLong());
            if (answer != null) answer.complete(message);
        }
    }

    private void markClosed(String why) {
        if (closedBecause == null) closedBecause = why;
        IOException e = new IOException(closedBecause);
        greeting.completeExceptionally(e);
        pending.values().forEach(f -> f.completeExceptionally(e));
        synchronized (events) {
            events.notifyAll();
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
