package org.cyphon.agent.sensors;

import java.time.Duration;
import org.freedesktop.dbus.exceptions.DBusException;

/**
 * A test systemd-logind on a bus of its own, for tests outside this package (cli's end-to-end
 * tests, whose agents are real processes): {@link DBusPrivateBus} with a {@link LogindTestService}
 * on it. An agent reaches it through {@code [sensors] dbus_address = }{@link #address()}.
 */
public final class TestLogind implements AutoCloseable {
    /** How logind's wait for the delay locks went: how long it waited, and whether every lock was let go. */
    public record Wait(Duration waited, boolean released) {}

    private final DBusPrivateBus bus;
    private final LogindTestService logind;
    private boolean closed;

    private TestLogind(DBusPrivateBus bus, LogindTestService logind) {
        this.bus = bus;
        this.logind = logind;
    }

    /** A bus, and logind on it waiting at most {@code inhibitDelayMax} for delay locks. */
    public static TestLogind start(Duration inhibitDelayMax) throws Exception {
        DBusPrivateBus bus = DBusPrivateBus.start();
        try {
            LogindTestService logind = LogindTestService.startOn(bus.address());
            logind.setInhibitDelayMax(inhibitDelayMax);
            return new TestLogind(bus, logind);
        } catch (Exception e) {
            bus.close();
            throw e;
        }
    }

    /** The bus's {@code unix:path=...} address. */
    public String address() {
        return bus.address();
    }

    /** How many delay locks on {@code shutdown} are held now. */
    public long shutdownDelayLocks() {
        return logind.locksHeld().stream()
                .filter(l -> l.mode().equals("delay") && l.covers("shutdown"))
                .count();
    }

    /** {@code PrepareForShutdown(true)}, then logind's wait for the delay locks; the machine goes down after it. */
    public Wait announceShutdown() throws DBusException, InterruptedException {
        var w = logind.announceShutdown();
        return new Wait(w.waited(), w.released());
    }

    /** {@code PrepareForSleep(true)}, then logind's wait for the delay locks. */
    public Wait announceSleep() throws DBusException, InterruptedException {
        var w = logind.announceSleep();
        return new Wait(w.waited(), w.released());
    }

    /** {@code PrepareForSleep(false)}: back from sleep. */
    public void announceResume() throws DBusException {
        logind.announceResume();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            logind.close();
        } finally {
            bus.close();
        }
    }
}
