package org.cyphon.agent.sensors;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The few words of the X11 protocol the idle sensor needs, spoken over the server's unix socket:
 * connection setup with an MIT-MAGIC-COOKIE-1, QueryExtension for MIT-SCREEN-SAVER, and that
 * extension's QueryInfo, whose reply holds the milliseconds since the server last saw input.
 *
 * <p>Why not run {@code xprintidle}: one connection kept open costs one small request a sample,
 * where a process a second per display costs a fork, libX11 start-up and a full connection setup
 * each time; and the agent needs no X client packages on the desks. The protocol is the X Window
 * System Protocol (version 11) and the MIT-SCREEN-SAVER extension specification.
 *
 * <p>Every read waits at most {@code timeout}, so a hung X server cannot stall the sampling thread.
 * Not thread-safe: one sampling thread owns it.
 */
final class X11Connection implements AutoCloseable {

    private static final int X_QUERY_EXTENSION = 98;
    private static final int X_SCREEN_SAVER_QUERY_INFO = 1;
    private static final String SCREEN_SAVER_EXTENSION = "MIT-SCREEN-SAVER";
    private static final String INPUT_EXTENSION = "XInputExtension";
    private static final int XI_SELECT_EVENTS = 46;
    private static final int XI_QUERY_VERSION = 47;
    private static final int GENERIC_EVENT = 35;
    /** XI_RawKeyPress .. XI_RawMotion: key press/release, button press/release, motion. */
    private static final int XI_RAW_FIRST = 13;

    private static final int XI_RAW_LAST = 17;
    /** XIAllDevices: raw events of the slave devices too, XTEST's among them. */
    private static final int XI_ALL_DEVICES = 0;

    private final SocketChannel channel;
    private final Selector selector;
    private final Duration timeout;
    private int rootWindow;
    private int screenSaverOpcode;
    private int inputOpcode = -1;

    private X11Connection(SocketChannel channel, Selector selector, Duration timeout) {
        this.channel = channel;
        this.selector = selector;
        this.timeout = timeout;
    }

    /**
     * Connects and authenticates.
     *
     * @param cookie MIT-MAGIC-COOKIE-1 data, or null to connect without (server-interpreted or host
     *               access control may still let root in)
     * @throws X11ConnectionRefusedException when the server refuses the cookie
     * @throws IOException                   when the socket cannot be reached or the server has no
     *                                       MIT-SCREEN-SAVER extension
     */
    static X11Connection open(Path socket, byte[] cookie, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        X11Connection c = null;
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            c = new X11Connection(ch, Selector.open(), timeout);
            c.setUp(cookie);
            c.screenSaverOpcode = c.queryExtension(SCREEN_SAVER_EXTENSION);
            return c;
        } catch (IOException | RuntimeException e) {
            if (c != null) c.close();
            else ch.close();
            throw e;
        }
    }

    /** Time since the X server last saw keyboard or pointer input, from any device or XTEST. */
    Duration idle() throws IOException {
        ByteBuffer req = request(8);
        req.put((byte) screenSaverOpcode)
                .put((byte) X_SCREEN_SAVER_QUERY_INFO)
                .putShort((short) 2)
                .putInt(rootWindow);
        send(req);
        ByteBuffer reply = reply();
        // state(1) sequence(2) length(4) window(4) til-or-since(4) idle(4): idle is at byte 16.
        return Duration.ofMillis(Integer.toUnsignedLong(reply.getInt(16)));
    }

    /**
     * Asks the server to send this connection an event for every key, button and pointer motion on
     * any device (XInput 2 raw events on the root window; XI 2.1 delivers them whatever grabs are
     * active). From then on the connection is for {@link #awaitInput} only: a reply to another
     * request would be mixed with the events. The XInput Extension Protocol spec, version 2.2.
     *
     * @throws IOException when the server has no XInput 2 (the caller falls back to sampling)
     */
    void selectRawInput() throws IOException {
        inputOpcode = queryExtension(INPUT_EXTENSION);
        ByteBuffer version = request(8);
        version.put((byte) inputOpcode)
                .put((byte) XI_QUERY_VERSION)
                .putShort((short) 2)
                .putShort((short) 2)
                .putShort((short) 2);
        send(version);
        ByteBuffer reply = reply();
        int major = Short.toUnsignedInt(reply.getShort(8));
        int minor = Short.toUnsignedInt(reply.getShort(10));
        if (major < 2 || (major == 2 && minor < 1)) {
            throw new IOException("the X server speaks XInput " + major + "." + minor + ", raw events need 2.1");
        }
        int mask = 0;
        for (int bit = XI_RAW_FIRST; bit <= XI_RAW_LAST; bit++) mask |= 1 << bit;
        // header(4) window(4) num_masks(2) pad(2), then one mask: deviceid(2) mask_len(2, in words) mask(4)
        ByteBuffer select = request(20);
        select.put((byte) inputOpcode)
                .put((byte) XI_SELECT_EVENTS)
                .putShort((short) 5)
                .putInt(rootWindow)
                .putShort((short) 1)
                .putShort((short) 0)
                .putShort((short) XI_ALL_DEVICES)
                .putShort((short) 1)
                .putInt(mask);
        send(select);
    }

    /**
     * Waits up to {@code max} for a raw input event selected by {@link #selectRawInput}. Other
     * events (MappingNotify when a client remaps keys, say) are read and dropped; an X error (the
     * selection refused) throws.
     *
     * @return true for input, false when {@code max} passed without input
     */
    boolean awaitInput(Duration max) throws IOException {
        if (inputOpcode < 0) throw new IllegalStateException("selectRawInput first");
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            ByteBuffer head = nextEvent(deadline);
            if (head == null) return false;
            int kind = head.get(0) & 0x7f; // the top bit marks events sent by SendEvent
            if (kind == 0)
                throw new IOException("X error " + Byte.toUnsignedInt(head.get(1)) + " after selecting XInput events");
            if (kind != GENERIC_EVENT) continue;
            long extra = Integer.toUnsignedLong(head.getInt(4)) * 4;
            if (extra > 0) read(Math.toIntExact(extra));
            int evtype = Short.toUnsignedInt(head.getShort(8));
            if (Byte.toUnsignedInt(head.get(1)) == inputOpcode && evtype >= XI_RAW_FIRST && evtype <= XI_RAW_LAST)
                return true;
        }
    }

    /** The next 32-byte event or error, or null when none began before the deadline. */
    private ByteBuffer nextEvent(long deadline) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        try {
            while (head.position() == 0) {
                int got = channel.read(head);
                if (got < 0) throw new IOException("the X server closed the connection");
                if (got > 0) break;
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
            }
        } finally {
            if (key.isValid()) key.interestOps(0);
        }
        // An event has begun: the rest of it follows at once, so read it with the usual timeout.
        if (head.hasRemaining()) head.put(read(head.remaining()));
        return head.flip();
    }

    private void setUp(byte[] cookie) throws IOException {
        byte[] name = cookie == null ? new byte[0] : XAuthority.MIT_MAGIC_COOKIE.getBytes(StandardCharsets.ISO_8859_1);
        byte[] data = cookie == null ? new byte[0] : cookie;
        ByteBuffer req = request(12 + padded(name.length) + padded(data.length));
        req.put((byte) 'l')
                .put((byte) 0)
                .putShort((short) 11)
                .putShort((short) 0) // little-endian, protocol 11.0
                .putShort((short) name.length)
                .putShort((short) data.length)
                .putShort((short) 0);
        req.put(name).position(12 + padded(name.length));
        req.put(data).position(req.capacity());
        send(req);

        ByteBuffer head = read(8);
        int status = head.get(0);
        ByteBuffer more = read(Short.toUnsignedInt(head.getShort(6)) * 4);
        if (status == 0) { // Failed: reason length in byte 1, reason in the additional data
            int len = Byte.toUnsignedInt(head.get(1));
            throw new X11ConnectionRefusedException(text(more, 0, len));
        }
        if (status == 2) { // Authenticate: the whole additional data is the reason
            throw new X11ConnectionRefusedException(text(more, 0, more.capacity()));
        }
        if (status != 1) throw new IOException("X11 setup: unexpected status " + status);
        // Success: vendor string at 32 (padded), then 8 bytes per pixmap format, then the first screen,
        // whose first field is its root window.
        int vendorLength = Short.toUnsignedInt(more.getShort(16));
        int formats = Byte.toUnsignedInt(more.get(21));
        rootWindow = more.getInt(32 + padded(vendorLength) + 8 * formats);
    }

    private int queryExtension(String extension) throws IOException {
        byte[] name = extension.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer req = request(8 + padded(name.length));
        req.put((byte) X_QUERY_EXTENSION)
                .put((byte) 0)
                .putShort((short) (req.capacity() / 4))
                .putShort((short) name.length)
                .putShort((short) 0)
                .put(name)
                .position(req.capacity());
        send(req);
        ByteBuffer reply = reply();
        if (reply.get(8) == 0) throw new IOException("the X server has no " + extension + " extension");
        return Byte.toUnsignedInt(reply.get(9));
    }

    /** The next reply: X errors become exceptions, events (none are selected) are skipped. */
    private ByteBuffer reply() throws IOException {
        while (true) {
            ByteBuffer head = read(32);
            int kind = head.get(0);
            if (kind == 0) throw new IOException("X error " + Byte.toUnsignedInt(head.get(1)));
            if (kind != 1) continue;
            long extra = Integer.toUnsignedLong(head.getInt(4)) * 4;
            if (extra > 0) read(Math.toIntExact(extra));
            return head;
        }
    }

    private static ByteBuffer request(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void send(ByteBuffer req) throws IOException {
        req.clear(); // the whole request, whatever position filling it left
        long deadline = System.nanoTime() + timeout.toNanos();
        SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
        try {
            while (req.hasRemaining()) {
                if (channel.write(req) == 0) await(deadline);
            }
        } finally {
            key.interestOps(0);
        }
    }

    private ByteBuffer read(int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        long deadline = System.nanoTime() + timeout.toNanos();
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        try {
            while (buf.hasRemaining()) {
                int got = channel.read(buf);
                if (got < 0) throw new IOException("the X server closed the connection");
                if (got == 0) await(deadline);
            }
        } finally {
            key.interestOps(0);
        }
        return buf.flip();
    }

    private void await(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IOException("the X server did not answer within " + timeout);
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    private static String text(ByteBuffer b, int from, int len) {
        byte[] out = new byte[Math.min(len, b.capacity() - from)];
        b.get(from, out);
        return new String(out, StandardCharsets.ISO_8859_1).trim();
    }

    private static int padded(int n) {
        return (n + 3) & ~3;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
