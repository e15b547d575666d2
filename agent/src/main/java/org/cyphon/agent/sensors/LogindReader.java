package org.cyphon.agent.sensors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.core.owner.SessionInfo;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link LogindSnapshot} from logind over one connection: {@code ListSessions}, then
 * {@code Properties.GetAll} on each session's object, then {@code ListInhibitors}.
 *
 * <p>Always reads everything rather than patching from signal contents: logind's signals say
 * <em>that</em> something changed, and a full read of a desk's handful of sessions is cheap and
 * cannot drift. Not thread-safe; the sensor calls it from its one thread.
 */
final class LogindReader {

    static final String BUS_NAME = "org.freedesktop.login1";
    static final String MANAGER_PATH = "/org/freedesktop/login1";

    private static final Logger LOG = LoggerFactory.getLogger(LogindReader.class);

    private final DBusConnection connection;
    private final String address;
    private final LogindManager manager;
    /** Proxies by object path, kept while the session is listed (dbus-java proxies are not free). */
    private final Map<String, Properties> sessionProxies = new HashMap<>();

    /**
     * @param address only for status sentences
     */
    LogindReader(DBusConnection connection, String address) throws DBusException {
        this.connection = connection;
        this.address = address;
        this.manager = connection.getRemoteObject(BUS_NAME, MANAGER_PATH, LogindManager.class);
    }

    /**
     * @throws LogindUnavailableException "logind not running ..." when nobody owns
     *         {@code org.freedesktop.login1}, or another sentence when the call failed otherwise
     */
    LogindSnapshot read() throws LogindUnavailableException {
        try {
            List<LogindListedSession> listed = manager.listSessions();
            List<SessionInfo> sessions = new ArrayList<>();
            Map<String, Properties> stillListed = new HashMap<>();
            for (LogindListedSession row : listed) {
                Properties proxy = sessionProxies.get(row.objectPath());
                if (proxy == null) {
                    proxy = connection.getRemoteObject(BUS_NAME, row.objectPath(), Properties.class);
                }
                stillListed.put(row.objectPath(), proxy);
                readSession(row, proxy, sessions);
            }
            sessionProxies.clear();
            sessionProxies.putAll(stillListed);
            sessions.sort(Comparator.comparing(SessionInfo::id));

            List<String> idleInhibitors = new ArrayList<>();
            for (LogindInhibitor inhibitor : manager.listInhibitors()) {
                if (inhibitor.inhibitsIdle()) {
                    idleInhibitors.add(inhibitor.who());
                }
            }
            idleInhibitors.sort(null);
            return new LogindSnapshot(sessions, idleInhibitors);
        } catch (DBusExecutionException | DBusException e) {
            throw unavailable(e);
        }
    }

    /** Adds the session if a person works in it; skips one that ended between list and read. */
    private void readSession(LogindListedSession row, Properties proxy, List<SessionInfo> into) {
        Map<String, Variant<?>> props;
        try {
            props = proxy.GetAll(LogindSessionProperties.INTERFACE);
        } catch (DBusExecutionException e) {
            if (!connection.isConnected() || isAbsentName(e)) {
                throw e;
            }
            LOG.debug("session {} went away while being read: {}", row.id(), e.getMessage());
            return;
        }
        LogindSessionProperties session = LogindSessionProperties.from(props);
        if (session.isPersonsSession()) {
            into.add(session.toSessionInfo(row.id(), row.user()));
        }
    }

    private LogindUnavailableException unavailable(Exception e) {
        if (e instanceof DBusExecutionException dee && isAbsentName(dee)) {
            return new LogindUnavailableException(
                    "logind not running: nobody owns " + BUS_NAME + " on the D-Bus at " + address, e);
        }
        if (!connection.isConnected()) {
            return new LogindUnavailableException(
                    "lost the D-Bus connection to " + address + " (" + LogindConnection.reason(e) + ")", e);
        }
        return new LogindUnavailableException(
                "logind did not answer on " + address + " (" + LogindConnection.reason(e) + ")", e);
    }

    /** The bus's answer when a name has no owner (and, on a bus with activation, cannot get one). */
    // dbus-java maps only some D-Bus error names to classes (ServiceUnknown, not NameHasNoOwner):
    // the error's name, deprecated without a replacement, is the one way to tell the rest.
    @SuppressWarnings("removal")
    private static boolean isAbsentName(DBusExecutionException e) {
        String type = e.getType() == null ? "" : e.getType();
        return type.endsWith("ServiceUnknown")
                || type.endsWith("NameHasNoOwner")
                || e instanceof org.freedesktop.dbus.errors.ServiceUnknown;
    }
}
