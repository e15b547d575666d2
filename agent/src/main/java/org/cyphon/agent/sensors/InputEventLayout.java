package org.cyphon.agent.sensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layout of {@code struct input_event}, which depends on the reader's ABI: a 64-bit
 * process gets {@code struct timeval} as two 8-byte longs (24 bytes per event), a 32-bit process
 * two 4-byte longs (16 bytes). Both are followed by {@code __u16 type, __u16 code, __s32 value}, in
 * the machine's byte order.
 */
enum InputEventLayout {
    BITS_64(24),
    BITS_32(16);

    final int size;

    InputEventLayout(int size) {
        this.size = size;
    }

    /** The layout the kernel uses for this JVM (it serves each reader its own ABI's layout). */
    static InputEventLayout ofThisProcess() {
        return "32".equals(System.getProperty("sun.arch.data.model")) ? BITS_32 : BITS_64;
    }

    /**
     * Decodes the event at the buffer's position and advances past it.
     *
     * @param in at least {@link #size} bytes remaining, in the machine's byte order
     */
    InputEvent read(ByteBuffer in) {
        ByteBuffer b = in.order(ByteOrder.nativeOrder());
        long seconds;
        long micros;
        if (this == BITS_64) {
            seconds = b.getLong();
            micros = b.getLong();
        } else {
            // Since Linux 5.0 the 32-bit seconds are unsigned (y2038), so read them as such.
            seconds = Integer.toUnsignedLong(b.getInt());
            micros = b.getInt();
        }
        int type = Short.toUnsignedInt(b.getShort());
        int code = Short.toUnsignedInt(b.getShort());
        int value = b.getInt();
        return new InputEvent(seconds, micros, type, code, value);
    }
}
