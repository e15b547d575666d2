package org.cyphon.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The owner's key press for case (e), sent by this JVM itself over the X11 protocol (XTEST
 * FakeInput, what {@code xdotool key} sends too), so the instant the input leaves is read in the
 * same process, immediately before the bytes go out: starting xdotool per trial would add its
 * process start-up, a few milliseconds and not constant, to every yield measured.
 *
 * <p>A minimal client, written from the X11 and XTEST protocol specifications: connection setup with
 * the display's MIT-MAGIC-COOKIE-1, QueryExtension("XTEST"), then per press a FakeInput KeyPress
 * and KeyRelease followed by GetInputFocus, whose reply says the server has processed both.
 */
final class YieldKeyPress implements AutoCloseable {
    /** When the press left this process and when the server had processed it, on {@link System#nanoTime}. */
    record Press(long sentNanos, long processedNanos) {}

    private static final int KEY_PRESS = 2, KEY_RELEASE = 3;
    private static final int XTEST_FAKE_INPUT = 2;
    private static final int GET_INPUT_FOCUS = 43, QUERY_EXTENSION = 98;
    /** Shift_L in the X server's default keymap: a key that types nothing anywhere. */
    private static final int KEYCODE = 50;

    private final SocketChannel socket;
    private final int xtestOpcode;

    private YieldKeyPress(SocketChannel socket, int xtestOpcode) {
        this.socket = socket;
        this.xtestOpcode = xtestOpcode;
    }

    static YieldKeyPress connect(Path displaySocket, byte[] cookie) throws IOException {
        SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.connect(UnixDomainSocketAddress.of(displaySocket));
            setUp(s, cookie);
            return new YieldKeyPress(s, xtestOpcode(s));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static void setUp(SocketChannel s, byte[] cookie) throws IOException {
        byte[] name = "MIT-MAGIC-COOKIE-1".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = request(12 + padded(name.length) + padded(cookie.length));
        b.put((byte) 'l')
                .put((byte) 0)
                .putShort((short) 11)
                .putShort((short) 0) // little-endian, protocol 11.0
                .putShort((short) name.length)
                .putShort((short) cookie.length)
                .putShort((short) 0);
        b.put(name).position(12 + padded(name.length)).put(cookie);
        write(s, b);
        ByteBuffer head = read(s, 8);
        int status = head.get(0), reasonLength = head.get(1) & 0xff, more = 4 * (head.getShort(6) & 0xffff);
        ByteBuffer rest = read(s, more);
        if (status != 1) {
            byte[] reason = new byte[Math.min(reasonLength, more)];
            rest.get(reason);
            throw new IOException(
                    "the X server refused the connection: " + new String(reason, StandardCharsets.US_ASCII));
        }
    }

    private static int xtestOpcode(SocketChannel s) throws IOException {
        byte[] name = "XTEST".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = request(8 + padded(name.length));
        b.put((byte) QUERY_EXTENSION)
                .put((byte) 0)
                .putShort((short) ((8 + padded(name.length)) / 4))
                .putShort((short) name.length)
                .putShort((short) 0)
                .put(name);
        write(s, b);
        ByteBuffer reply = awaitReply(s);
        if (reply.get(8) == 0) throw new IOException("the X server has no XTEST extension");
        return reply.get(9) & 0xff;
    }

    /** One press and release of the key; the send time is read right before the bytes are written. */
    Press press() throws IOException {
        ByteBuffer b = request(36 + 36 + 4);
        fakeKey(b, KEY_PRESS);
        fakeKey(b, KEY_RELEASE);
        b.put((byte) GET_INPUT_FOCUS).put((byte) 0).putShort((short) 1);
        b.flip();
        long sent = System.nanoTime();
        while (b.hasRemaining()) socket.write(b);
        awaitReply(socket);
        return new Press(sent, System.nanoTime());
    }

    /** XTEST FakeInput: 36 bytes; root None = the screen the pointer is on, time 0 = now. */
    private void fakeKey(ByteBuffer b, int type) {
        int start = b.position();
        b.put((byte) xtestOpcode)
                .put((byte) XTEST_FAKE_INPUT)
                .putShort((short) 9)
                .put((byte) type)
                .put((byte) KEYCODE)
                .putShort((short) 0)
                .putInt(0) // time
                .putInt(0); // root
        b.position(start + 36); // 8 unused, rootX, rootY, 7 unused, deviceid 0 (core): all zero
    }

    /** Reads 32-byte packets until a reply; an error packet fails with its code. */
    private static ByteBuffer awaitReply(SocketChannel s) throws IOException {
        while (true) {
            ByteBuffer p = read(s, 32);
            int kind = p.get(0) & 0xff;
            if (kind == 0)
                throw new IOException("X error " + (p.get(1) & 0xff) + " for request opcode " + (p.get(10) & 0xff));
            if (kind == 1) {
                int extra = 4 * p.getInt(4);
                if (extra > 0) read(s, extra);
                return p;
            }
            // kind >= 2: an event; we selected none, but the server may still send some (MappingNotify)
        }
    }

    private static ByteBuffer request(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void write(SocketChannel s, ByteBuffer b) throws IOException {
        b.position(0);
        while (b.hasRemaining()) s.write(b);
    }

    private static ByteBuffer read(SocketChannel s, int n) throws IOException {
        ByteBuffer b = request(n);
        while (b.hasRemaining()) {
            if (s.read(b) < 0) throw new IOException("the X server closed the connection");
        }
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int padded(int n) {
        return (n + 3) & ~3;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
