package org.cyphon.agent.sensors;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * {@code struct input_event} bytes exactly as a little-endian kernel hands them to a reader,
 * written here independently of the code under test: 64-bit layout {@code {s64 sec, s64 usec, u16
 * type, u16 code, s32 value}} (24 bytes), 32-bit layout {@code {u32 sec, s32 usec, ...}} (16 bytes).
 */
final class InputEventBytes {

    static final int EV_SYN = 0, EV_KEY = 1, EV_REL = 2, EV_ABS = 3, EV_MSC = 4, EV_SW = 5, EV_LED = 0x11;
    static final int SYN_REPORT = 0, MSC_SCAN = 4, KEY_A = 30, KEY_POWER = 116, REL_X = 0, ABS_X = 0, SW_LID = 0;
    static final int LED_CAPSL = 1;

    private final boolean bits64;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private InputEventBytes(boolean bits64) {
        this.bits64 = bits64;
    }

    static InputEventBytes layout64() {
        return new InputEventBytes(true);
    }

    static InputEventBytes layout32() {
        return new InputEventBytes(false);
    }

    InputEventBytes event(Instant t, int type, int code, int value) {
        ByteBuffer b = ByteBuffer.allocate(bits64 ? 24 : 16).order(ByteOrder.LITTLE_ENDIAN);
        long usec = t.getNano() / 1000;
        if (bits64) b.putLong(t.getEpochSecond()).putLong(usec);
        else b.putInt((int) t.getEpochSecond()).putInt((int) usec);
        b.putShort((short) type).putShort((short) code).putInt(value);
        out.writeBytes(b.array());
        return this;
    }

    /** A key press as a USB keyboard reports it: scan code, key, sync. */
    InputEventBytes keyPress(Instant t, int key) {
        return event(t, EV_MSC, MSC_SCAN, 0x70004).event(t, EV_KEY, key, 1).event(t, EV_SYN, SYN_REPORT, 0);
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
