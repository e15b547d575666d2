package org.cyphon.agent.sensors;

import java.util.Arrays;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.UInt32;

/**
 * One row of logind's {@code ListInhibitors} reply, D-Bus signature {@code (ssssuu)}: an inhibitor
 * lock some program holds. Video players and presentation tools take an {@code idle} lock while
 * they play: the owner is watching, not away, even though no key is pressed.
 *
 * <p>Public with a public constructor because dbus-java builds it by reflection from the wire.
 */
public final class LogindInhibitor extends Struct {
    @Position(0)
    private final String what;

    @Position(1)
    private final String who;

    @Position(2)
    private final String why;

    @Position(3)
    private final String mode;

    @Position(4)
    private final UInt32 uid;

    @Position(5)
    private final UInt32 pid;

    public LogindInhibitor(String what, String who, String why, String mode, UInt32 uid, UInt32 pid) {
        this.what = what;
        this.who = who;
        this.why = why;
        this.mode = mode;
        this.uid = uid;
        this.pid = pid;
    }

    /**
     * True when the lock's colon-separated {@code what} list names {@code idle} as a whole word
     * ({@code idle}, {@code sleep:idle}); {@code sleep}, {@code shutdown} and the
     * {@code handle-*} keys say nothing about the owner watching the screen.
     */
    public boolean inhibitsIdle() {
        return what != null && Arrays.asList(what.split(":")).contains("idle");
    }

    /** The program that took the lock, as it named itself ({@code mpv}, {@code firefox}). */
    public String who() {
        return who;
    }

    /** Why it says it took the lock. */
    public String why() {
        return why;
    }

    /** {@code block} or {@code delay}. */
    public String mode() {
        return mode;
    }

    /** Process id of the holder. */
    public long pid() {
        return pid.longValue();
    }

    /** User id of the holder. */
    public long uid() {
        return uid.longValue();
    }
}
