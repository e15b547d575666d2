package org.cyphon.agent.power;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/**
 * The part of systemd-logind's {@code org.freedesktop.login1.Manager} that puts the machine to
 * sleep, with logind's wire signatures (org.freedesktop.login1(5)): {@code Suspend(b interactive)},
 * {@code Hibernate(b interactive)}. (The {@code PrepareForSleep(b start)} signal logind sends before
 * sleeping and after resuming is read generically, by {@link LogindSleep}.)
 *
 * <p>Public only because dbus-java builds its proxies by reflection; not an API of the agent.
 */
@DBusInterfaceName("org.freedesktop.login1.Manager")
public interface LogindSleepCalls extends DBusInterface {

    /** {@code interactive = false}: no password prompt; polkit decides (root may). */
    @DBusMemberName("Suspend")
    void suspend(boolean interactive);

    @DBusMemberName("Hibernate")
    void hibernate(boolean interactive);
}
