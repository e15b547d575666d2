package org.cyphon.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk owner's own line to the agent: a UNIX socket, {@code STATE_DIR/owner.sock}, through
 * which the person whose desk this is asks for the things that are theirs without any token
 * ({@code cyphon claim}, {@code cyphon desk status}, {@code cyphon away}/{@code back}).
 *
 * <p>Who asks is what the kernel says, never what the request says: every connection's peer
 * credentials ({@code SO_PEERCRED}) name the calling process's user, and only the desk's owner
 * ({@code owner} in agent.toml, as a local account of that name) and root are served. The socket
 * itself is open to every local user (mode 0666, like the world-readable owner status), because
 * the owner is not the agent's user; another user, or a job running as its sandbox user, connects
 * and is refused. One short request per connection, read within {@link #READ_LIMIT}, at most
 * {@link #MAX_REQUEST} bytes, so a local user cannot tie the agent up.
 */
final class OwnerSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OwnerSocket.class);
    static final String NAME = "owner.sock";
    static final int MAX_REQUEST = 4096;
    static final Duration READ_LIMIT = Duration.ofSeconds(5);
    /** sun_path holds 107 bytes and a NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A request from a caller the socket has checked: {@code user} is the kernel's word. */
    record Asked(String user, OwnerCall.Request request) {}

    private final Path path;
    private final String owner;
    private final Function<Asked, OwnerCall.Reply> serve;
    private final ServerSocketChannel server;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("owner-socket-deadline").factory());
    private final Thread acceptor;
    private volatile boolean open = true;

    /**
     * Listens on {@code stateDir/owner.sock}.
     *
     * @param owner the desk's owner (agent.toml's {@code owner}); null: only root is served
     * @param serve carries out a request of the owner (or root); never throws
     * @throws IOException when the socket cannot be made (the path too long, the directory not writable)
     */
    OwnerSocket(Path stateDir, String owner, Function<Asked, OwnerCall.Reply> serve) throws IOException {
        this.path = stateDir.toAbsolutePath().resolve(NAME);
        if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH)
            throw new IOException(path + " is longer than a UNIX socket path may be (" + MAX_SOCKET_PATH + " bytes)");
        this.owner = owner;
        this.serve = serve;
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        // Anyone may connect; whom it serves is decided by the peer credentials of each connection.
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
        this.acceptor = Thread.ofPlatform().daemon().name("owner-socket").start(this::acceptLoop);
    }

    Path path() {
        return path;
    }

    private void acceptLoop() {
        while (open) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (open) log.warn("owner socket: accept failed: {}", e.getMessage());
                return;
            }
            Thread.ofVirtual().name("owner-call").start(() -> handle(c));
        }
    }

    private void handle(SocketChannel c) {
        var deadline = deadlines.schedule(
                () -> {
                    try {
                        c.close();
                    } catch (IOException ignored) {
                        // closing a slow caller's connection
                    }
                },
                READ_LIMIT.toMillis(),
                TimeUnit.MILLISECONDS);
        try (c) {
            UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String user = peer.user().getName();
            // Read first, whoever asks: a caller answered before it has written would see a broken
            // pipe instead of the refusal. Reading serves nothing; only the credentials decide that.
            OwnerCall.Request request = read(c);
            OwnerCall.Reply reply;
            if (!user.equals("root") && (owner == null || !owner.equals(user))) {
                log.warn("owner socket: refused {} (this desk's owner is {})", user, owner == null ? "nobody" : owner);
                reply = OwnerCall.Reply.refused(
                        owner == null
                                ? "this desk has no owner (owner in agent.toml): only root may ask the agent here"
                                : "this is " + owner + "'s desk: only " + owner
                                        + " (or root) may ask its agent; you are " + user);
            } else {
                reply = request == null
                        ? OwnerCall.Reply.refused(
                                "not a request: one JSON object on one line, at most " + MAX_REQUEST + " bytes")
                        : serve.apply(new Asked(user, request));
            }
            deadline.cancel(false);
            c.write(ByteBuffer.wrap((JSON.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            log.debug("owner socket: a call ended early: {}", e.toString());
        } finally {
            deadline.cancel(false);
        }
    }

    /** One line of JSON, or null when it is not one (too long, not JSON, no action). */
    private static OwnerCall.Request read(SocketChannel c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_REQUEST + 1);
        while (buf.hasRemaining()) {
            int n = c.read(buf);
            if (n < 0) break;
            byte[] a = buf.array();
            boolean newline = false;
            for (int i = buf.position() - n; i < buf.position(); i++) newline |= a[i] == '\n';
            if (newline) break;
        }
        if (buf.position() > MAX_REQUEST || buf.position() == 0) return null;
        try {
            OwnerCall.Request r = JSON.readValue(buf.array(), 0, buf.position(), OwnerCall.Request.class);
            return r == null || r.action() == null ? null : r;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deadlines.shutdownNow();
            acceptor.interrupt();
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the next agent replaces it
            }
        }
    }
}
