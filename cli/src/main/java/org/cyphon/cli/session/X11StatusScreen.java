package org.cyphon.cli.session;

import java.io.IOException;
import java.net.InetAddress;
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
import java.util.ArrayList;
import java.util.List;
import org.cyphon.agent.sensors.XAuthority;

/**
 * The desk session's own screen while the VM is not there to show: one window covering the
 * screen, a dark background and a line or two of large text ("Bringing your desktop back... 3 s").
 *
 * <p>Spoken in the X11 core protocol over the display's UNIX socket, as the agent's sensors do:
 * the session needs no toolkit, and Cyphon's Java runtime carries none. The text is drawn with the
 * one font every X server has built in ({@code fixed}, 6x13) into a pixmap, read back with
 * GetImage and drawn again as filled squares, so it is big enough to read from the chair on any
 * monitor. Not thread-safe: the session's one thread owns it.
 */
public final class X11StatusScreen implements DeskSession.Screen {
    private static final int GLYPH_W = 6;
    private static final int GLYPH_H = 13;
    private static final int ASCENT = 10;
    private static final int BACKGROUND = 0x1e2a36;
    private static final int TEXT = 0xf2f2f2;
    private static final int SUBTLE = 0x9fb0c0;

    private final SocketChannel channel;
    private final int root;
    private final int width;
    private final int height;
    private final int depth;
    private final int bitsPerPixel;
    private final int idBase;
    private int nextId;
    private final int window;
    private final int windowGc;
    private final int font;

    private X11StatusScreen(SocketChannel channel, ByteBuffer setup) throws IOException {
        this.channel = channel;
        idBase = setup.getInt(12 - 8);
        int vendorLength = Short.toUnsignedInt(setup.getShort(24 - 8));
        int screens = Byte.toUnsignedInt(setup.get(28 - 8));
        int formats = Byte.toUnsignedInt(setup.get(29 - 8));
        if (screens < 1) throw new IOException("the X server has no screen");
        int formatsAt = 40 - 8 + pad(vendorLength);
        int screenAt = formatsAt + 8 * formats;
        root = setup.getInt(screenAt);
        width = Short.toUnsignedInt(setup.getShort(screenAt + 20));
        height = Short.toUnsignedInt(setup.getShort(screenAt + 22));
        depth = Byte.toUnsignedInt(setup.get(screenAt + 38));
        int bpp = 32;
        for (int f = 0; f < formats; f++) {
            if (Byte.toUnsignedInt(setup.get(formatsAt + 8 * f)) == depth)
                bpp = Byte.toUnsignedInt(setup.get(formatsAt + 8 * f + 1));
        }
        bitsPerPixel = bpp;
        window = newId();
        windowGc = newId();
        font = newId();
        // CreateWindow: full screen, InputOutput, our background, Exposure events (not read: redrawn every second).
        ByteBuffer cw = request(1, 0, 10);
        cw.putInt(window).putInt(root).putShort((short) 0).putShort((short) 0);
        cw.putShort((short) width).putShort((short) height).putShort((short) 0).putShort((short) 1);
        // Events: KeyPress, ButtonPress (the owner asking for their desktop back), Exposure.
        cw.putInt(0).putInt(0x0002 | 0x0800).putInt(BACKGROUND).putInt(0x1 | 0x4 | 0x8000);
        send(cw);
        byte[] title = "Cyphon desk".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer name = request(18, 0, 6 + pad(title.length) / 4);
        name.putInt(window).putInt(39).putInt(31).put((byte) 8).put(new byte[3]).putInt(title.length);
        name.put(title);
        send(name);
        byte[] fixed = "fixed".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer of = request(45, 0, 3 + pad(fixed.length) / 4);
        of.putInt(font).putShort((short) fixed.length).putShort((short) 0).put(fixed);
        send(of);
        ByteBuffer gc = request(55, 0, 4 + 3);
        gc.putInt(windowGc)
                .putInt(window)
                .putInt(0x4 | 0x8 | 0x4000)
                .putInt(TEXT)
                .putInt(BACKGROUND)
                .putInt(font);
        send(gc);
        ByteBuffer map = request(8, 0, 2);
        map.putInt(window);
        send(map);
    }

    /**
     * Connects to {@code display} ({@code :0}, {@code :0.0}) with the cookie in {@code authority}
     * (or none), and covers its screen.
     */
    public static X11StatusScreen open(String display, Path authority) throws IOException {
        if (display == null || !display.matches(":\\d+(\\.\\d+)?"))
            throw new IOException("DISPLAY '" + display + "' is not a local display (:N)");
        int number = Integer.parseInt(display.substring(1).replaceAll("\\..*", ""));
        byte[] cookie = null;
        if (authority != null && authority.toFile().isFile()) {
            List<byte[]> cookies = XAuthority.localCookies(
                    XAuthority.read(authority),
                    number,
                    InetAddress.getLocalHost().getHostName());
            if (!cookies.isEmpty()) cookie = cookies.get(0);
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of("/tmp/.X11-unix/X" + number));
            byte[] authName = cookie == null ? new byte[0] : "MIT-MAGIC-COOKIE-1".getBytes(StandardCharsets.US_ASCII);
            byte[] authData = cookie == null ? new byte[0] : cookie;
            ByteBuffer hello = ByteBuffer.allocate(12 + pad(authName.length) + pad(authData.length))
                    .order(ByteOrder.LITTLE_ENDIAN);
            hello.put((byte) 'l').put((byte) 0).putShort((short) 11).putShort((short) 0);
            hello.putShort((short) authName.length)
                    .putShort((short) authData.length)
                    .putShort((short) 0);
            hello.put(authName).position(12 + pad(authName.length));
            hello.put(authData).position(hello.capacity());
            write(ch, hello.flip());
            ByteBuffer head = read(ch, 8);
            ByteBuffer more = read(ch, Short.toUnsignedInt(head.getShort(6)) * 4);
            if (head.get(0) != 1) {
                int len = Byte.toUnsignedInt(head.get(1));
                throw new IOException("the X server refused the connection: "
                        + StandardCharsets.ISO_8859_1.decode(more.limit(Math.min(len, more.capacity()))));
            }
            return new X11StatusScreen(ch, more);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Shows {@code headline} large and {@code detail} (may be empty) smaller below it, centred. */
    @Override
    public void show(String headline, String detail) throws IOException {
        ByteBuffer clear = request(61, 0, 4);
        clear.putInt(window).putInt(0).putInt(0);
        send(clear);
        int big =
                Math.max(2, Math.min(width * 8 / 10 / Math.max(1, headline.length() * GLYPH_W), height / 8 / GLYPH_H));
        int small = Math.max(1, big / 2);
        int total = GLYPH_H * big + (detail.isEmpty() ? 0 : GLYPH_H * small * 2);
        int y = (height - total) / 2;
        draw(headline, big, y, TEXT);
        if (!detail.isEmpty()) draw(detail, small, y + GLYPH_H * big + GLYPH_H * small, SUBTLE);
    }

    /** Draws {@code text} scaled by {@code scale}, centred across the screen, its top at {@code top}. */
    private void draw(String text, int scale, int top, int colour) throws IOException {
        byte[] chars = latin1(text);
        int w = Math.max(1, chars.length * GLYPH_W);
        int pixmap = newId();
        int gc = newId();
        ByteBuffer cp = request(53, depth, 4);
        cp.putInt(pixmap).putInt(window).putShort((short) w).putShort((short) GLYPH_H);
        send(cp);
        ByteBuffer cgc = request(55, 0, 4 + 3);
        cgc.putInt(gc)
                .putInt(pixmap)
                .putInt(0x4 | 0x8 | 0x4000)
                .putInt(0xffffff)
                .putInt(0)
                .putInt(font);
        send(cgc);
        ByteBuffer text8 = request(76, chars.length, 4 + pad(chars.length) / 4);
        text8.putInt(pixmap)
                .putInt(gc)
                .putShort((short) 0)
                .putShort((short) ASCENT)
                .put(chars);
        send(text8);
        ByteBuffer get = request(73, 2, 5);
        get.putInt(pixmap)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) w)
                .putShort((short) GLYPH_H);
        get.putInt(0xffffffff);
        send(get);
        ByteBuffer image = reply();
        int stride = pad(w * bitsPerPixel / 8);
        int left = (width - w * scale) / 2;
        List<int[]> runs = new ArrayList<>();
        for (int row = 0; row < GLYPH_H; row++) {
            int x = 0;
            while (x < w) {
                if (!lit(image, row * stride, x)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < w && lit(image, row * stride, x)) x++;
                runs.add(new int[] {left + start * scale, top + row * scale, (x - start) * scale, scale});
            }
        }
        ByteBuffer fg = request(56, 0, 3 + 1);
        fg.putInt(windowGc).putInt(0x4).putInt(colour);
        send(fg);
        for (int from = 0; from < runs.size(); from += 4000) {
            List<int[]> part = runs.subList(from, Math.min(runs.size(), from + 4000));
            ByteBuffer fill = request(70, 0, 3 + 2 * part.size());
            fill.putInt(window).putInt(windowGc);
            for (int[] r : part)
                fill.putShort((short) r[0])
                        .putShort((short) r[1])
                        .putShort((short) r[2])
                        .putShort((short) r[3]);
            send(fill);
        }
        ByteBuffer freeGc = request(60, 0, 2);
        freeGc.putInt(gc);
        send(freeGc);
        ByteBuffer freePixmap = request(54, 0, 2);
        freePixmap.putInt(pixmap);
        send(freePixmap);
    }

    /**
     * Waits up to {@code max} for a key or a button pressed on this screen (the owner asking for
     * their desktop back); false when none came.
     */
    @Override
    public boolean awaitInput(Duration max) throws IOException {
        long deadline = System.nanoTime() + max.toNanos();
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                ByteBuffer head = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                if (!fill(head, true)) continue;
                int kind = head.get(0) & 0x7f;
                if (kind == 0) throw new IOException("X error " + Byte.toUnsignedInt(head.get(1)));
                if (kind == 2 || kind == 4) return true;
                if (kind == 35 || kind == 1)
                    fill(ByteBuffer.allocate(Math.toIntExact(Integer.toUnsignedLong(head.getInt(4)) * 4)), false);
            }
        } finally {
            // The selector is closed (and the channel deregistered) before blocking mode comes back.
            channel.configureBlocking(true);
        }
    }

    /**
     * Reads {@code b} full from the non-blocking channel; false when nothing at all was there and
     * {@code mayBeEmpty}. Once a message has begun its rest follows at once, so the wait is short.
     */
    private boolean fill(ByteBuffer b, boolean mayBeEmpty) throws IOException {
        while (b.hasRemaining()) {
            int got = channel.read(b);
            if (got < 0) throw new IOException("the X server closed the connection");
            if (got == 0 && mayBeEmpty && b.position() == 0) return false;
            if (got == 0) Thread.onSpinWait();
        }
        return true;
    }

    private boolean lit(ByteBuffer image, int rowStart, int x) {
        int bytes = bitsPerPixel / 8;
        int at = 32 + rowStart + x * bytes;
        for (int b = 0; b < bytes; b++) if (image.get(at + b) != 0) return true;
        return false;
    }

    /** The window goes, and with it the connection (the viewer takes the screen). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the server closes our window with the connection anyway
        }
    }

    // --- the wire ---------------------------------------------------------------------------------

    private int newId() {
        return idBase | nextId++;
    }

    /** A request of {@code words} 4-byte units, its header written. */
    private static ByteBuffer request(int opcode, int data, int words) {
        ByteBuffer b = ByteBuffer.allocate(words * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) opcode).put((byte) data).putShort((short) words);
        return b;
    }

    private void send(ByteBuffer b) throws IOException {
        b.position(b.capacity());
        write(channel, b.flip());
    }

    /** The next reply, skipping events; an X error throws. */
    private ByteBuffer reply() throws IOException {
        while (true) {
            ByteBuffer head = read(channel, 32);
            int kind = head.get(0) & 0x7f;
            if (kind == 0) throw new IOException("X error " + Byte.toUnsignedInt(head.get(1)));
            if (kind == 1) {
                long extra = Integer.toUnsignedLong(head.getInt(4)) * 4;
                ByteBuffer whole =
                        ByteBuffer.allocate(Math.toIntExact(32 + extra)).order(ByteOrder.LITTLE_ENDIAN);
                whole.put(head.rewind());
                whole.put(read(channel, Math.toIntExact(extra)));
                return whole.flip();
            }
            if (kind == 35) read(channel, Math.toIntExact(Integer.toUnsignedLong(head.getInt(4)) * 4));
        }
    }

    private static void write(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static ByteBuffer read(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new IOException("the X server closed the connection");
        }
        return b.flip();
    }

    private static int pad(int n) {
        return (n + 3) & ~3;
    }

    private static byte[] latin1(String s) {
        return s.replace("\u2026", "...").getBytes(StandardCharsets.ISO_8859_1);
    }
}
