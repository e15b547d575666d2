package org.cyphon.agent.sensors;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.FileDescriptor;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * The test logind's side of {@code org.freedesktop.login1.Manager}: the methods and signals the
 * sensor uses, with the signatures of systemd's logind (org.freedesktop.login1(5)). Declared
 * separately from the sensor's {@link LogindManager} on purpose, so a wrong signature on either
 * side shows up as a failed call on the wire instead of agreeing with itself.
 */
@DBusInterfaceName("org.freedesktop.login1.Manager")
public interface LogindTestManager extends DBusInterface {

    /** {@code ListSessions() -> a(susso)}. */
    List<SessionRow> ListSessions();

    /** {@code ListInhibitors() -> a(ssssuu)}. */
    List<InhibitorRow> ListInhibitors();

    /**
     * {@code Inhibit(s what, s who, s why, s mode) -> h}: takes a lock, held until every copy of the
     * returned file descriptor is closed.
     */
    FileDescriptor Inhibit(String what, String who, String why, String mode);

    /** {@code PrepareForShutdown(b start)}: true before a power-off or reboot (false when it was cancelled). */
    class PrepareForShutdown extends DBusSignal {
        public PrepareForShutdown(String path, boolean start) throws DBusException {
            super(path, start);
        }
    }

    /** {@code PrepareForSleep(b start)}: true before a suspend or hibernation, false after the resume. */
    class PrepareForSleep extends DBusSignal {
        public PrepareForSleep(String path, boolean start) throws DBusException {
            super(path, start);
        }
    }

    /** {@code SessionNew(s session_id, o object_path)}. */
    class SessionNew extends DBusSignal {
        public SessionNew(String path, String sessionId, DBusPath objectPath) throws DBusException {
            super(path, sessionId, objectPath);
        }
    }

    /** {@code SessionRemoved(s session_id, o object_path)}. */
    class SessionRemoved extends DBusSignal {
        public SessionRemoved(String path, String sessionId, DBusPath objectPath) throws DBusException {
            super(path, sessionId, objectPath);
        }
    }

    /** {@code (susso)}: id, uid, user, seat, object path. */
    final class SessionRow extends Struct {
        @Position(0)
        public final String id;

        @Position(1)
        public final UInt32 uid;

        @Position(2)
        public final String user;

        @Position(3)
        public final String seat;

        @Position(4)
        public final DBusPath path;

        public SessionRow(String id, UInt32 uid, String user, String seat, DBusPath path) {
            this.id = id;
            this.uid = uid;
            this.user = user;
            this.seat = seat;
            this.path = path;
        }
    }

    /** {@code (ssssuu)}: what, who, why, mode, uid, pid. */
    final class InhibitorRow extends Struct {
        @Position(0)
        public final String what;

        @Position(1)
        public final String who;

        @Position(2)
        public final String why;

        @Position(3)
        public final String mode;

        @Position(4)
        public final UInt32 uid;

        @Position(5)
        public final UInt32 pid;

        public InhibitorRow(String what, String who, String why, String mode, UInt32 uid, UInt32 pid) {
            this.what = what;
            this.who = who;
            this.why = why;
            this.mode = mode;
            this.uid = uid;
            this.pid = pid;
        }
    }
}
