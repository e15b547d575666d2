package org.cyphon.agent.sensors;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.UInt32;

/**
 * One row of logind's {@code ListSessions} reply, D-Bus signature {@code (susso)}. The object path
 * is where the session's properties live; the rest is only a fallback when those cannot be read.
 *
 * <p>Public with a public constructor because dbus-java builds it by reflection from the wire.
 */
public final class LogindListedSession extends Struct {
    @Position(0)
    private final String id;

    @Position(1)
    private final UInt32 uid;

    @Position(2)
    private final String user;

    @Position(3)
    private final String seat;

    @Position(4)
    private final DBusPath path;

    public LogindListedSession(String id, UInt32 uid, String user, String seat, DBusPath path) {
        this.id = id;
        this.uid = uid;
        this.user = user;
        this.seat = seat;
        this.path = path;
    }

    /** logind's session id, e.g. {@code 1}, {@code c2}. */
    public String id() {
        return id;
    }

    /** Name of the session's user as logind lists it. */
    public String user() {
        return user;
    }

    /** Seat id ({@code seat0}), empty for sessions without a seat (ssh). */
    public String seat() {
        return seat;
    }

    /** Object path of the session, e.g. {@code /org/freedesktop/login1/session/_31}. */
    public String objectPath() {
        return path.getPath();
    }

    /** Numeric uid of the session's user. */
    public long uid() {
        return uid.longValue();
    }
}
