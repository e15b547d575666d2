package org.cyphon.agent.sensors;

import java.util.List;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * The two methods of systemd-logind's {@code org.freedesktop.login1.Manager} interface the
 * {@link LogindSensor} calls, declared with logind's own wire signatures so dbus-java can marshal
 * them. Everything else about a session is read through {@code org.freedesktop.DBus.Properties}
 * on the session's own object.
 *
 * <p>Public only because dbus-java builds its proxies by reflection; not an API of the agent.
 */
@DBusInterfaceName("org.freedesktop.login1.Manager")
public interface LogindManager extends DBusInterface {

    /** Every session logind knows of: {@code a(susso)} = (id, uid, user, seat, object path). */
    @DBusMemberName("ListSessions")
    List<LogindListedSession> listSessions();

    /** Every inhibitor lock held: {@code a(ssssuu)} = (what, who, why, mode, uid, pid). */
    @DBusMemberName("ListInhibitors")
    List<LogindInhibitor> listInhibitors();
}
