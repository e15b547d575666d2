package org.cyphon.agent.power;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * The test logind's side of the sleep calls of {@code org.freedesktop.login1.Manager}, with systemd's
 * signatures (org.freedesktop.login1(5)). Declared apart from the agent's {@link LogindSleepCalls} on
 * purpose, so a wrong signature on either side fails on the wire instead of agreeing with itself.
 */
@DBusInterfaceName("org.freedesktop.login1.Manager")
public interface LogindSleepTestManager extends DBusInterface {

    /** {@code Suspend(b interactive)}. */
    void Suspend(boolean interactive);

    /** {@code Hibernate(b interactive)}. */
    void Hibernate(boolean interactive);

    /** {@code PrepareForSleep(b start)}: true before sleeping, false after the resume. */
    class PrepareForSleep extends DBusSignal {
        public PrepareForSleep(String path, boolean start) throws DBusException {
            super(path, start);
        }
    }
}
