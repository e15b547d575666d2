package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a private (not shared) dbus-java connection to the bus logind lives on: the given address,
 * or the system bus ({@code $DBUS_SYSTEM_BUS_ADDRESS}, else {@code /run/dbus/system_bus_socket}).
 *
 * <p>Private so that closing the sensor really closes the socket and never another component's
 * connection (the sleep of org.cyphon.agent.power opens its own). Imported-object references are weak so proxies for sessions that ended are
 * collected; a months-long agent would otherwise keep one per session ever seen.
 */
public final class LogindConnection {

    private static final Logger LOG = LoggerFactory.getLogger(LogindConnection.class);

    private LogindConnection() {}

    /** The address to use: {@code configured} when non-null, else the system bus's. */
    public static String addressOf(String configured) {
        if (configured != null) {
            return configured;
        }
        // As dbus-java's AddressBuilder.getSystemConnection() finds it, without loading dbus-java: a
        // machine without a system bus (a container, a bare server) never loads its hundred-odd classes.
        String env = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
        return env != null && !env.isBlank() ? env : "unix:path=/var/run/dbus/system_bus_socket";
    }

    /** The socket of a plain {@code unix:path=...} address, or null for any other kind of address. */
    static Path socketOf(String address) {
        if (!address.startsWith("unix:path=") || address.contains(",") || address.contains(";")) return null;
        return Path.of(address.substring("unix:path=".length()));
    }

    /**
     * Connects and says hello to the bus.
     *
     * @throws LogindUnavailableException "no system D-Bus at ..." when nothing answers there
     */
    public static DBusConnection open(String address) throws LogindUnavailableException {
        Path socket = socketOf(address);
        if (socket != null && !Files.exists(socket)) {
            throw new LogindUnavailableException("no system D-Bus at " + address + " (no such socket)", null);
        }
        try {
            DBusConnection connection = DBusConnectionBuilder.forAddress(address)
                    .withShared(false)
                    .withImportWeakReferences(true)
                    // One connect attempt: dbus-java otherwise retries for 10 s, holding up the
                    // agent's start on a machine that simply has no bus. The sensor retries later itself.
                    .transportConfig()
                    .withTimeout(0)
                    .back()
                    .build();
            LOG.debug("connected to D-Bus at {} as {}", address, connection.getUniqueName());
            return connection;
        } catch (Exception e) {
            // dbus-java reports a missing socket, a refused connection, a bad address and a missing
            // machine-id each its own way (checked and unchecked); to the owner all say the same.
            throw new LogindUnavailableException("no system D-Bus at " + address + " (" + reason(e) + ")", e);
        }
    }

    /** Closes quietly: at shutdown or after a failure there is nobody to tell. */
    public static void closeQuietly(DBusConnection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the D-Bus connection failed", e);
        }
    }

    /** The innermost message of an exception chain, for a one-line status. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message.strip();
    }
}
