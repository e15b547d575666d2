package org.cyphon.agent.sensors;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.cyphon.core.owner.SessionInfo;
import org.freedesktop.dbus.types.Variant;

/**
 * The properties of one {@code org.freedesktop.login1.Session} object that matter for presence,
 * as read with {@code Properties.GetAll}. Missing or mistyped properties read as empty/false/0
 * rather than failing, so a logind that lacks a newer property still yields the session.
 *
 * @param type            x11, wayland, tty, mir, unspecified
 * @param sessionClass    user, greeter, lock-screen, background, manager, ...
 * @param service         PAM service that opened it (sshd, xrdp-sesman, gdm-password)
 * @param name            user name
 * @param state           online, active, closing
 * @param remoteHost      where a remote session comes from; empty for local ones
 * @param active          in the foreground of its seat (sessions without a seat are always active)
 * @param remote          logind's {@code Remote}
 * @param idleHint        the session's idle hint (set by the desktop, or for ttys from input times)
 * @param idleSinceMicros {@code IdleSinceHint}: µs since the epoch (CLOCK_REALTIME); 0 = not set
 */
record LogindSessionProperties(
        String type,
        String sessionClass,
        String service,
        String name,
        String state,
        String remoteHost,
        boolean active,
        boolean remote,
        boolean idleHint,
        long idleSinceMicros) {

    /** logind's D-Bus interface whose properties these are. */
    static final String INTERFACE = "org.freedesktop.login1.Session";

    /** Reads the properties from a {@code GetAll} reply. */
    static LogindSessionProperties from(Map<String, Variant<?>> props) {
        return new LogindSessionProperties(
                text(props, "Type"),
                text(props, "Class"),
                text(props, "Service"),
                text(props, "Name"),
                text(props, "State"),
                text(props, "RemoteHost"),
                flag(props, "Active"),
                flag(props, "Remote"),
                flag(props, "IdleHint"),
                number(props, "IdleSinceHint"));
    }

    /**
     * True for sessions a person works in. Greeters and lock screens are logind sessions too (the
     * login screen is "active" on an empty desk), as are background and service-manager sessions
     * (cron, {@code user@.service}); none of them is a person at the machine, and {@link SessionInfo}
     * has no field to say so, so they are left out here. A {@code closing} session has ended and only
     * leftover processes (tmux, nohup) keep it listed.
     */
    boolean isPersonsSession() {
        return sessionClass.startsWith("user") && !state.equals("closing");
    }

    /**
     * @param id       logind's session id
     * @param listUser the user name from {@code ListSessions}, used when the {@code Name} property is empty
     */
    SessionInfo toSessionInfo(String id, String listUser) {
        String kind = LogindSessionKind.of(type, service);
        Instant idleSince = idleSinceMicros > 0 ? Instant.EPOCH.plus(idleSinceMicros, ChronoUnit.MICROS) : null;
        return new SessionInfo(
                id,
                name.isEmpty() ? listUser : name,
                kind,
                LogindSessionKind.isRemote(kind, remote),
                active,
                idleHint,
                idleSince);
    }

    private static String text(Map<String, Variant<?>> props, String key) {
        return props.get(key) != null && props.get(key).getValue() instanceof String s ? s : "";
    }

    private static boolean flag(Map<String, Variant<?>> props, String key) {
        return props.get(key) != null && props.get(key).getValue() instanceof Boolean b && b;
    }

    private static long number(Map<String, Variant<?>> props, String key) {
        return props.get(key) != null && props.get(key).getValue() instanceof Number n ? n.longValue() : 0L;
    }
}
