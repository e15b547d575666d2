package org.cyphon.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One simulated agent loop's keep-alive HTTP/1.1 connection to the coordinator: a request, then its
 * response, then the next request on the same socket (reconnecting when the server closed it).
 *
 * <p>Why not the JDK's {@code HttpClient}, which the real agent uses: on a 2-core machine shared
 * with the coordinator, every cycle the load generator spends is taken from the coordinator under
 * test, and that client's asynchronous machinery (selector thread, executor hand-offs, futures per
 * exchange) costs several times what the exchange itself does. The coordinator cannot tell: it
 * receives the same HTTP/1.1 requests (method, path, Host, Authorization, Content-Type,
 * Content-Length, JSON body) and answers them the same way. Blocking I/O on a virtual thread.
 *
 * <p>Not thread-safe: one loop uses it at a time. Bodies are JSON, encoded and decoded by the caller.
 */
final class DispatchAgentConnection implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int CALL_TIMEOUT_MILLIS = 60_000;

    private final String host;
    private final int port;
    private final String basePath;
    private final byte[] fixedHeaders; // Host and Authorization, the same on every request
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** A non-2xx reply, with the coordinator's error body. */
    static final class CallFailed extends IOException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        CallFailed(String call, int status, String body) {
            super(call + ": HTTP " + status + " " + body);
        }
    }

    DispatchAgentConnection(String coordinatorUrl, String token) {
        URI u = URI.create(coordinatorUrl.replaceAll("/+$", ""));
        this.host = u.getHost();
        this.port = u.getPort() < 0 ? 80 : u.getPort();
        this.basePath = (u.getRawPath() == null ? "" : u.getRawPath()) + "/api/v1";
        this.fixedHeaders = ("Host: " + host + ":" + port + "\r\nAuthorization: Bearer " + token + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code GET path}; {@code waitMillis} is how long the server may hold the reply (a long poll). */
    byte[] get(String path, long waitMillis) throws IOException {
        return exchange("GET", path, null, waitMillis);
    }

    /** {@code POST path} with a JSON body. */
    byte[] post(String path, byte[] json) throws IOException {
        return exchange("POST", path, json, 0);
    }

    @Override
    public void close() {
        disconnect();
    }

    private byte[] exchange(String method, String path, byte[] body, long waitMillis) throws IOException {
        connectIfNeeded();
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, CALL_TIMEOUT_MILLIS + waitMillis));
            writeRequest(method, path, body);
            return readResponse(method + " " + path);
        } catch (IOException | RuntimeException e) {
            disconnect(); // the connection is in an unknown state: the next call starts a fresh one
            throw e;
        }
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null) return;
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
            socket = s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void disconnect() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken connection: nothing left to do
        }
        socket = null;
        in = null;
        out = null;
    }

    private void writeRequest(String method, String path, byte[] body) throws IOException {
        out.write((method + " " + basePath + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(fixedHeaders);
        if (body != null) {
            out.write(("Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        } else {
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    private byte[] readResponse(String call) throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.")) throw new IOException(call + ": not an HTTP response: " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            int colon = h.indexOf(':');
            if (colon < 0) continue;
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {}
            }
        }
        byte[] body = chunked ? readChunked() : length >= 0 ? readExactly((int) length) : in.readAllBytes();
        if (close || (!chunked && length < 0)) disconnect();
        if (status / 100 != 2) throw new CallFailed(call, status, new String(body, StandardCharsets.UTF_8));
        return body;
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {} // trailers
                return body.toByteArray();
            }
            body.write(readExactly(size));
            readLine(); // the CRLF after the chunk
        }
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new EOFException("connection closed after " + b.length + " of " + n + " body bytes");
        return b;
    }

    /** One header line, without its CRLF (ISO-8859-1, as HTTP/1.1 header bytes are). */
    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed by the coordinator");
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            sb.append((char) c);
        }
    }
}
