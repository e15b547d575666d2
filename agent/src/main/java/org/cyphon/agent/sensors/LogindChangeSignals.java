package org.cyphon.agent.sensors;

import java.util.ArrayList;
import java.util.List;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.matchrules.DBusMatchRule;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the logind signals that mean "read again": {@code SessionNew} and
 * {@code SessionRemoved} on the Manager, and {@code PropertiesChanged} on any session object
 * (logind sends it when {@code IdleHint}/{@code IdleSinceHint}, {@code Active} or {@code State}
 * change).
 *
 * <p>The rules match by path and interface, not by sender: the bus delivers signals stamped with
 * logind's unique name ({@code :1.7}), which changes when logind restarts, while dbus-java compares
 * a rule's sender literally. Only logind owns paths under {@code /org/freedesktop/login1}.
 *
 * <p>Inhibitors come and go without any signal; the sensor's slow re-read covers them.
 */
final class LogindChangeSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogindChangeSignals.class);
    private static final String MANAGER_INTERFACE = "org.freedesktop.login1.Manager";
    private static final String SESSIONS_PATH = LogindReader.MANAGER_PATH + "/session";

    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    private LogindChangeSignals() {}

    /**
     * Adds the match rules on the bus; {@code onChange} then runs on dbus-java's signal thread for
     * each matching signal, so it must be quick (the sensor only queues a re-read).
     */
    static LogindChangeSignals subscribe(DBusConnection connection, Runnable onChange) throws DBusException {
        LogindChangeSignals signals = new LogindChangeSignals();
        try {
            for (String member : List.of("SessionNew", "SessionRemoved")) {
                signals.add(
                        connection,
                        DBusMatchRuleBuilder.create()
                                .withType("signal")
                                .withPath(LogindReader.MANAGER_PATH)
                                .withInterface(MANAGER_INTERFACE)
                                .withMember(member)
                                .build(),
                        onChange);
            }
            signals.add(
                    connection,
                    DBusMatchRuleBuilder.create()
                            .withType("signal")
                            .withPathNamespace(SESSIONS_PATH)
                            .withInterface("org.freedesktop.DBus.Properties")
                            .withMember("PropertiesChanged")
                            .build(),
                    onChange);
            return signals;
        } catch (DBusException | RuntimeException e) {
            signals.close();
            throw e;
        }
    }

    private void add(DBusConnection connection, DBusMatchRule rule, Runnable onChange) throws DBusException {
        subscriptions.add(connection.addGenericSigHandler(rule, (DBusSignal signal) -> {
            LOG.debug("logind signal {} on {}", signal.getName(), signal.getPath());
            onChange.run();
        }));
    }

    /** Removes the match rules; quiet when the bus is already gone. */
    @Override
    public void close() {
        for (AutoCloseable subscription : subscriptions) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("removing a logind match rule failed", e);
            }
        }
        subscriptions.clear();
    }
}
