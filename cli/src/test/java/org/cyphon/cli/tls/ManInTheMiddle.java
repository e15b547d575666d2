package org.cyphon.cli.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.cyphon.coordinator.tls.SelfIssuedCertificates;
import org.cyphon.coordinator.tls.ServerIdentity;

/**
 * A TLS server on loopback with a CA of its own, as an attacker between desks and the coordinator
 * would run: it completes any handshake a client lets it and records every byte of a request that
 * reaches it, so a test can tell that a client refused it before sending anything (a token).
 */
public final class ManInTheMiddle implements AutoCloseable {
    private final SSLServerSocket server;
    private final AtomicLong requestBytes = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    public ManInTheMiddle(Path dir) throws Exception {
        ServerIdentity id = SelfIssuedCertificates.ensure(dir, List.of("127.0.0.1", "localhost"), Instant.now());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(id.keyStore(), id.keyStorePassword());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        server = (SSLServerSocket)
                ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().name("mitm").start(this::serve);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "https://127.0.0.1:" + port();
    }

    /** Bytes of application data (HTTP requests) that reached us. */
    public long requestBytes() {
        return requestBytes.get();
    }

    /** TCP connections accepted: proof the client did try us. */
    public int connections() {
        return connections.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread.ofPlatform().daemon().start(() -> record((SSLSocket) s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void record(SSLSocket s) {
        try (s) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) requestBytes.addAndGet(n);
        } catch (IOException e) {
            // The client walked away, as it should have: nothing more to record.
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(5000);
    }
}
