package org.cyphon.agent.sensors;

import java.util.Set;

/**
 * Which evdev events a person at the desk made. Everything else is noise the kernel adds:
 * {@code EV_SYN} frames every report, {@code EV_MSC} scan codes shadow each key, {@code EV_LED} and
 * {@code EV_REP} are settings, {@code EV_SW} is a lid or jack switch.
 *
 * <p>Key auto-repeat ({@code value 2}) is ignored on purpose: the press that started it already
 * counted, and a key held down for minutes is a book or a cat on the keyboard, not an owner.
 */
final class OwnerInputFilter {

    /** Keys firmware sends on power events, or that put the machine to sleep: not a sign of work. */
    private static final Set<Integer> SYSTEM_KEYS = Set.of(
            116, // KEY_POWER
            142, // KEY_SLEEP
            143, // KEY_WAKEUP
            205, // KEY_SUSPEND
            356); // KEY_POWER2

    private OwnerInputFilter() {}

    static boolean isOwnerInput(InputDeviceKind kind, InputEvent e) {
        return switch (e.type()) {
            case InputEvent.EV_KEY ->
                e.value() != InputEvent.KEY_AUTO_REPEAT && !SYSTEM_KEYS.contains(e.code()) && kind.isRead();
            case InputEvent.EV_REL ->
                kind == InputDeviceKind.POINTER
                        || kind == InputDeviceKind.KEYBOARD_AND_POINTER
                        || kind == InputDeviceKind.UNKNOWN;
            // Absolute axes only from known pointers: an unknown absolute device may be an accelerometer.
            case InputEvent.EV_ABS -> kind == InputDeviceKind.POINTER || kind == InputDeviceKind.KEYBOARD_AND_POINTER;
            default -> false;
        };
    }
}
