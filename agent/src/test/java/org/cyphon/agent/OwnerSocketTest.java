package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner socket serves the desk's owner and root only, by the kernel's word for who connects:
 * real connections from real local users (through setpriv and socat), the owner served, another
 * user refused whatever the request claims, and malformed or oversized requests answered with a
 * refusal, never served.
 */
class OwnerSocketTest {
    @TempDir
    Path dir;

    private final List<OwnerSocket.Asked> served = new CopyOnWriteArrayList<>();

    private OwnerSocket socket(String owner) throws Exception {
        // The agent's state dir is 0711: anyone may pass through to the socket.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        return new OwnerSocket(dir, owner, asked -> {
            served.add(asked);
            return new OwnerCall.Reply(true, "done for " + asked.user(), null, null);
        });
    }

    /** One line to the socket as local {@code user} (root: this JVM), the agent's answer. */
    private static String ask(Path socket, String user, String group, String line) throws Exception {
        if (user.equals("root")) {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(socket));
                c.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                c.shutdownOutput();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (c.read(buf) >= 0) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                return out.toString(StandardCharsets.UTF_8);
            }
        }
        Process p = new ProcessBuilder(
                        "setpriv",
                        "--reuid=" + user,
                        "--regid=" + group,
                        "--clear-groups",
                        "socat",
                        "-",
                        "UNIX-CONNECT:" + socket)
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return answer;
    }

    @Test
    void theOwnerAndRootAreServedAndAnotherLocalUserIsRefusedByThePeersCredentials() throws Exception {
        try (OwnerSocket s = socket("daemon")) {
            assertThat(Files.getPosixFilePermissions(s.path()))
                    .as("any local user may connect; the credentials decide")
                    .hasSize(6);

            assertThat(ask(s.path(), "daemon", "daemon", "{\"action\":\"claim\",\"time\":\"1h\"}\n"))
                    .contains("\"ok\":true")
                    .contains("done for daemon");
            assertThat(ask(s.path(), "root", "root", "{\"action\":\"desk-status\"}\n"))
                    .contains("done for root");

            String refused = ask(s.path(), "nobody", "nogroup", "{\"action\":\"claim\",\"time\":\"12h\"}\n");
            assertThat(refused)
                    .contains("\"ok\":false")
                    .contains("this is daemon's desk: only daemon (or root) may ask its agent; you are nobody");
            // What the request says about who asks counts for nothing.
            assertThat(ask(s.path(), "nobody", "nogroup", "{\"action\":\"claim\",\"user\":\"daemon\"}\n"))
                    .contains("\"ok\":false");

            assertThat(served).extracting(OwnerSocket.Asked::user).containsExactly("daemon", "root");
        }
    }

    @Test
    void aDeskWithoutAnOwnerServesRootOnly() throws Exception {
        try (OwnerSocket s = socket(null)) {
            assertThat(ask(s.path(), "daemon", "daemon", "{\"action\":\"claim\"}\n"))
                    .contains("\"ok\":false")
                    .contains("this desk has no owner");
            assertThat(ask(s.path(), "root", "root", "{\"action\":\"claim\"}\n"))
                    .contains("\"ok\":true");
        }
    }

    @Test
    void malformedAndOversizedRequestsAreRefusedNotServed() throws Exception {
        try (OwnerSocket s = socket("daemon")) {
            assertThat(ask(s.path(), "daemon", "daemon", "not json\n"))
                    .contains("\"ok\":false")
                    .contains("not a request");
            assertThat(ask(s.path(), "daemon", "daemon", "{\"time\":\"1h\"}\n")).contains("not a request");
            String huge = "{\"action\":\"claim\",\"time\":\"" + "x".repeat(OwnerSocket.MAX_REQUEST) + "\"}\n";
            assertThat(ask(s.path(), "daemon", "daemon", huge)).contains("not a request");
            assertThat(served).isEmpty();
        }
    }
}
