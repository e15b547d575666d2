package org.cyphon.coordinator.desk;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.cyphon.coordinator.api.ApiError;

/**
 * The desk actions an administrator can ask of a machine's agent, and how long the asking request
 * waits for the answer: the agent's long poll picks a command up within a moment, so each bound is
 * what the VM operation itself may take, with room to spare.
 */
enum DeskAction {
    STATUS(20),
    START(60),
    /** The guest gets all but a few seconds of it to shut down; then it is powered off. */
    STOP(90),
    PAUSE(30),
    RESUME(30),
    /** A guest's whole memory to disk. */
    SAVE(90),
    RESTORE(90),
    REIMAGE(60),
    SCREENSHOT(30),
    POWEROFF(30),
    /** Ends an administrator's hold: the desk keeper's plan applies again (and may move the VM at once). */
    RELEASE(90);

    final int waitSeconds;

    DeskAction(int waitSeconds) {
        this.waitSeconds = waitSeconds;
    }

    /** A read: carried out like any action, but not put in the audit log (it changes nothing). */
    boolean read() {
        return this == STATUS;
    }

    /** The actions that hold the VM where they leave it, against the keeper's plan ({@code --for}). */
    boolean holds() {
        return this == START || this == RESUME || this == RESTORE || this == PAUSE || this == SAVE;
    }

    /** The name in the API, the CLI and the audit log. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws ApiError 400 naming the known actions */
    static DeskAction parse(String text) {
        for (DeskAction a : values()) {
            if (a.wireName().equals(text)) return a;
        }
        throw ApiError.badField(
                "action",
                "'" + abbreviate(text) + "' is not a desk action (known: "
                        + Arrays.stream(values()).map(DeskAction::wireName).collect(Collectors.joining(", ")) + ")");
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
