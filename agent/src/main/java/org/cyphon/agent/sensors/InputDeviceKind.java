package org.cyphon.agent.sensors;

import java.util.BitSet;

/**
 * What an input device is, as far as the owner's presence goes. Only keyboards and pointers (mice,
 * touchpads, touch screens, pen tablets) are read: a power button, a lid switch, an accelerometer
 * or a laptop's "Video Bus" brightness device report events that no hand at the desk made.
 */
enum InputDeviceKind {
    KEYBOARD,
    POINTER,
    /** A keyboard with a built-in pointer (trackpoint keyboards, wireless combo receivers). */
    KEYBOARD_AND_POINTER,
    /** Sysfs says nothing about it; read it, but count only key presses and relative motion. */
    UNKNOWN,
    IGNORED;

    private static final int KEY_ESC = 1;
    private static final int KEY_F12 = 88;
    private static final int BTN_LEFT = 0x110;
    private static final int BTN_TOOL_PEN = 0x140;
    private static final int BTN_TOOL_FINGER = 0x145;
    private static final int BTN_TOUCH = 0x14a;
    private static final int BTN_STYLUS = 0x14b;
    private static final int REL_X = 0x00;
    private static final int REL_Y = 0x01;
    private static final int ABS_X = 0x00;
    private static final int ABS_Y = 0x01;

    boolean isRead() {
        return this != IGNORED;
    }

    static InputDeviceKind of(InputCapabilities c) {
        boolean keyboard = c.ev().get(InputEvent.EV_KEY) && anyIn(c.key(), KEY_ESC, KEY_F12);
        boolean pointer = isPointer(c);
        if (keyboard && pointer) return KEYBOARD_AND_POINTER;
        if (keyboard) return KEYBOARD;
        if (pointer) return POINTER;
        return IGNORED;
    }

    /**
     * A keyboard has keys of the classic block (Esc to F12). That leaves out the power and sleep
     * buttons (KEY_POWER is 116), the Video Bus (brightness keys 224+) and media-key-only "Consumer
     * Control" devices.
     */
    private static boolean anyIn(BitSet bits, int from, int to) {
        int next = bits.nextSetBit(from);
        return next >= 0 && next <= to;
    }

    /**
     * A mouse moves relatively and has a left button; a touchpad, touch screen or tablet reports
     * absolute X/Y together with a touch or tool button. Accelerometers report absolute X/Y/Z with
     * no buttons (and the ACCELEROMETER property): not a hand.
     */
    private static boolean isPointer(InputCapabilities c) {
        if (c.props().get(InputCapabilities.INPUT_PROP_ACCELEROMETER)) return false;
        BitSet key = c.ev().get(InputEvent.EV_KEY) ? c.key() : new BitSet();
        boolean mouse =
                c.ev().get(InputEvent.EV_REL) && c.rel().get(REL_X) && c.rel().get(REL_Y) && key.get(BTN_LEFT);
        boolean touch = c.ev().get(InputEvent.EV_ABS)
                && c.abs().get(ABS_X)
                && c.abs().get(ABS_Y)
                && (key.get(BTN_TOUCH)
                        || key.get(BTN_TOOL_FINGER)
                        || key.get(BTN_TOOL_PEN)
                        || key.get(BTN_STYLUS)
                        || key.get(BTN_LEFT));
        return mouse || touch;
    }
}
