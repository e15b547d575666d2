package org.cyphon.agent.sensors;

import java.time.Instant;

/**
 * One {@code struct input_event} as the kernel's evdev interface delivers it
 * (linux/input.h): when, event type ({@code EV_KEY}, {@code EV_REL}, ...), code (which key or
 * axis) and value (key: 0 release, 1 press, 2 auto-repeat; axis: the movement or position).
 */
record InputEvent(long seconds, long micros, int type, int code, int value) {

    static final int EV_SYN = 0x00;
    static final int EV_KEY = 0x01;
    static final int EV_REL = 0x02;
    static final int EV_ABS = 0x03;
    static final int EV_MSC = 0x04;
    static final int EV_SW = 0x05;
    static final int EV_REP = 0x14;

    /** {@code value} of an {@code EV_KEY} event the kernel generates while a key is held. */
    static final int KEY_AUTO_REPEAT = 2;

    /** The kernel's timestamp (CLOCK_REALTIME unless a reader asked evdev for another clock). */
    Instant time() {
        return Instant.ofEpochSecond(seconds, micros * 1000);
    }
}
