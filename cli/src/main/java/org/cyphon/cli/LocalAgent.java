package org.cyphon.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cyphon.agent.OwnerCall;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.config.AgentConfigLoader;
import org.cyphon.cli.client.CliFailure;

/**
 * The desk owner's line to the agent on their own machine: its owner socket
 * ({@code STATE_DIR/owner.sock}), where the agent checks who asks by the kernel's word (the
 * socket's peer credentials) and serves only the desk's owner and root. No token is involved.
 */
final class LocalAgent {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int MAX_REPLY = 1 << 20;

    private LocalAgent() {}

    /** The agent refused (1) or could not be asked (2). */
    static final class Failure extends CliFailure {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private final int exitCode;

        Failure(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        @Override
        public int exitCode() {
            return exitCode;
        }
    }

    /** The agent's state directory: {@code stateDir} if given, else {@code config}'s, else the installed agent's. */
    static Path stateDir(Path config, Path stateDir) {
        if (stateDir != null) return stateDir;
        try {
            AgentConfig c = config != null ? AgentConfigLoader.load(config) : AgentConfigLoader.defaults();
            return c.stateDir();
        } catch (IllegalArgumentException e) {
            throw new Failure("cannot find the agent's state directory: " + e.getMessage(), 2);
        }
    }

    /** Whether an agent serves an owner socket in {@code stateDir}. */
    static boolean serves(Path stateDir) {
        return Files.exists(stateDir.resolve("owner.sock"));
    }

    /**
     * Asks the agent; a refusal or a failure becomes a {@link Failure} (exit 1 refused, 2 could not ask).
     *
     * @return the agent's answer, which was a yes
     */
    static OwnerCall.Reply ask(Path stateDir, OwnerCall.Request request) {
        Path socket = stateDir.resolve("owner.sock");
        if (!Files.exists(socket)) {
            throw new Failure(
                    "no Cyphon agent answers for this desk's owner here (no " + socket + "); is it running?", 2);
        }
        OwnerCall.Reply reply;
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            try {
                c.write(ByteBuffer.wrap((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8)));
                c.shutdownOutput();
            } catch (IOException answeredAlready) {
                // The agent may answer (a refusal) and close before it has read all of it: read the answer.
            }
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (c.read(buf) >= 0) {
                in.write(buf.array(), 0, buf.position());
                buf.clear();
                if (in.size() > MAX_REPLY) throw new IOException("the agent's reply is too long");
            }
            reply = JSON.readValue(in.toByteArray(), OwnerCall.Reply.class);
        } catch (IOException e) {
            throw new Failure("cannot ask the agent at " + socket + ": " + e.getMessage(), 2);
        }
        if (reply == null) throw new Failure("the agent at " + socket + " gave no answer", 2);
        if (!reply.ok()) throw new Failure(reply.message(), 1);
        return reply;
    }
}
