package org.cyphon.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of the coordinator that counts every byte it carries each way,
 * and cuts the connection carrying them once, in the middle of a transfer: when the bytes sent
 * towards the coordinator ({@link #cutUpstreamAfter}) or back from it ({@link #cutDownstreamAfter})
 * pass the mark. What a resumed transfer costs is then what the counters say, compared with the
 * file's size.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    final AtomicLong upstream = new AtomicLong();
    final AtomicLong downstream = new AtomicLong();
    private volatile long cutUp = Long.MAX_VALUE;
    private volatile long cutDown = Long.MAX_VALUE;
    /** Whether the cut towards the coordinator, and the one back from it, has happened since it was set. */
    final AtomicBoolean cutUpFired = new AtomicBoolean();

    final AtomicBoolean cutDownFired = new AtomicBoolean();
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;

    CuttingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("cutting-proxy").start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Cuts the connection once the bytes towards the coordinator, from now, pass {@code bytes}. */
    void cutUpstreamAfter(long bytes) {
        cutUpFired.set(false);
        cutUp = upstream.get() + bytes;
    }

    /** Cuts the connection once the bytes from the coordinator, from now, pass {@code bytes}. */
    void cutDownstreamAfter(long bytes) {
        cutDownFired.set(false);
        cutDown = downstream.get() + bytes;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket coordinator = new Socket(InetAddress.getLoopbackAddress(), target);
                synchronized (open) {
                    open.add(client);
                    open.add(coordinator);
                }
                pump(client, coordinator, upstream, true);
                pump(coordinator, client, downstream, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter, boolean up) {
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    long total = counter.addAndGet(n);
                    long mark = up ? cutUp : cutDown;
                    AtomicBoolean fired = up ? cutUpFired : cutDownFired;
                    if (total >= mark && fired.compareAndSet(false, true)) {
                        if (up) cutUp = Long.MAX_VALUE;
                        else cutDown = Long.MAX_VALUE;
                        from.close();
                        to.close();
                        return;
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException closed) {
                // one side went away: so does the other
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) s.close();
        }
        acceptor.interrupt();
    }
}
