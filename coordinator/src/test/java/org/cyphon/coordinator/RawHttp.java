package org.cyphon.coordinator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 over a plain socket, byte for byte as the caller wrote it: what no well-behaved client
 * library would send (raw control characters, a Content-Length larger than the body, a body that
 * stops and stays silent). One request per connection; the reply is read until the server closes.
 */
final class RawHttp {
    private RawHttp() {}

    /**
     * @param status  the reply's status, or -1 when the server closed without one
     * @param hung    no reply (nor a close) came within the limit
     * @param millis  from the first byte sent to the reply's end
     */
    record Reply(int status, String head, byte[] bodyBytes, boolean hung, long millis) {
        String body() {
            return new String(bodyBytes, StandardCharsets.UTF_8);
        }

        String describe() {
            if (hung)
                return "no answer after " + millis + " ms"
                        + (head.isEmpty() ? "" : " (what came: " + abbreviate(head) + ")");
            String b = body();
            return (status < 0 ? "closed without a reply" : "HTTP " + status) + " after " + millis + " ms"
                    + (b.isEmpty() ? "" : ": " + (b.length() > 300 ? b.substring(0, 300) + "..." : b));
        }
    }

    /**
     * Sends {@code request} and reads the reply.
     *
     * @param stall keep the connection open, silent, after the bytes (the body it declared is not all there)
     * @param limit how long to wait for the whole reply
     */
    static Reply send(String host, int port, byte[] request, boolean stall, Duration limit) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout((int) limit.toMillis());
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (!stall) s.shutdownOutput();
            } catch (IOException refusedMidway) {
                // The server may answer and close before reading all of a request it refused (431, 413).
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    got.write(buf, 0, n);
                    if (elapsed(start) > limit.toMillis())
                        return new Reply(
                                -1, got.toString(StandardCharsets.ISO_8859_1), new byte[0], true, elapsed(start));
                }
            } catch (SocketTimeoutException e) {
                return new Reply(-1, got.toString(StandardCharsets.ISO_8859_1), new byte[0], true, elapsed(start));
            } catch (IOException reset) {
                // A reset after the reply (the server closed with our unread bytes pending) still leaves the reply.
            }
            return parse(got.toByteArray(), elapsed(start));
        } catch (IOException e) {
            return new Reply(-1, "could not connect: " + e, new byte[0], false, elapsed(start));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static Reply parse(byte[] raw, long millis) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headEnd < 0) return new Reply(-1, text, new byte[0], false, millis);
        String head = text.substring(0, headEnd);
        int status;
        try {
            status = Integer.parseInt(head.substring(9, 12));
        } catch (RuntimeException e) {
            return new Reply(-1, head, new byte[0], false, millis);
        }
        byte[] body = new byte[raw.length - headEnd - 4];
        System.arraycopy(raw, headEnd + 4, body, 0, body.length);
        if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) body = unchunk(body);
        return new Reply(status, head, body, false, millis);
    }

    /** Good enough for assertions on the text: drops the chunk-size lines. */
    private static byte[] unchunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = indexOf(body, i);
            if (lineEnd < 0) break;
            int size;
            try {
                size = Integer.parseInt(
                        new String(body, i, lineEnd - i, StandardCharsets.US_ASCII)
                                .trim()
                                .split(";")[0],
                        16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) break;
            int from = lineEnd + 2;
            int n = Math.min(size, body.length - from);
            out.write(body, from, n);
            i = from + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        return -1;
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
