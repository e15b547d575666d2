package org.cyphon.agent.power;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * A test systemd-logind for sleeping: owns {@code org.freedesktop.login1} on a private bus, answers
 * {@code Suspend} and {@code Hibernate} as logind does (the call returns, then
 * {@code PrepareForSleep(true)} is sent as the machine goes down), and sends
 * {@code PrepareForSleep(false)} when the test says the machine resumed ({@link #resume}). What
 * "sleeping" means is the test's: {@code onSleep} runs after the signal (an office test stops the
 * agent's process there). It may also refuse, as polkit would.
 *
 * <p>Public for the cli's office tests, which run it for a real agent process.
 */
public final class LogindSleepTestService implements LogindSleepTestManager, AutoCloseable {
    static final String BUS_NAME = "org.freedesktop.login1";
    static final String MANAGER_PATH = "/org/freedesktop/login1";

    private final DBusConnection connection;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile String refusal;
    private volatile boolean silent;
    private volatile Consumer<String> onSleep = how -> {};

    private LogindSleepTestService(DBusConnection connection) {
        this.connection = connection;
    }

    /** Connects to the bus at {@code address}, exports the Manager and takes logind's name. */
    public static LogindSleepTestService startOn(String address) throws DBusException {
        DBusConnection connection =
                DBusConnectionBuilder.forAddress(address).withShared(false).build();
        LogindSleepTestService service = new LogindSleepTestService(connection);
        try {
            connection.exportObject(MANAGER_PATH, service);
            connection.requestBusName(BUS_NAME);
            return service;
        } catch (DBusException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** Runs {@code action} with "suspend" or "hibernate" once the machine goes down. */
    public void onSleep(Consumer<String> action) {
        this.onSleep = action;
    }

    /** From now on every call is refused with {@code message}, as polkit refuses an unprivileged caller. */
    public void refuse(String message) {
        this.refusal = message;
    }

    /** From now on a call is taken but nothing happens (a block inhibitor holds the sleep). */
    public void neverStart() {
        this.silent = true;
    }

    /** Every Suspend or Hibernate asked, in order: "suspend", "hibernate". */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** The machine resumed: {@code PrepareForSleep(false)}. */
    public void resume() throws DBusException {
        connection.sendMessage(new PrepareForSleep(MANAGER_PATH, false));
    }

    @Override
    public void Suspend(boolean interactive) {
        sleep("suspend");
    }

    @Override
    public void Hibernate(boolean interactive) {
        sleep("hibernate");
    }

    private void sleep(String how) {
        calls.add(how);
        if (refusal != null) throw new DBusExecutionException(refusal);
        if (silent) return;
        // logind answers the call first, then announces the sleep: so do we, on another thread.
        Thread.ofVirtual().start(() -> {
            try {
                connection.sendMessage(new PrepareForSleep(MANAGER_PATH, true));
                onSleep.accept(how);
            } catch (DBusException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public String getObjectPath() {
        return MANAGER_PATH;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
