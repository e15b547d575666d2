package org.cyphon.agent.power;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.sensors.LogindConnection;
import org.cyphon.agent.sensors.LogindUnavailableException;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the machine to sleep through systemd-logind, on its own private D-Bus connection: asks
 * {@code Suspend} or {@code Hibernate}, then waits for logind's {@code PrepareForSleep(true)} (it is
 * going down: any delay inhibitor, such as the agent's own, has had its say) and
 * {@code PrepareForSleep(false)} (it has resumed). The agent's threads are frozen with the machine
 * in between, so the wait is the time asleep.
 */
public final class LogindSleep {
    private static final Logger log = LoggerFactory.getLogger(LogindSleep.class);
    static final String BUS_NAME = "org.freedesktop.login1";
    static final String MANAGER_PATH = "/org/freedesktop/login1";
    /** How often the wait for the resume checks that the bus is still there. */
    private static final long CHECK_MILLIS = 5_000;

    private final String address;

    /** @param dbusAddress the bus logind is on (agent.toml's {@code sensors.dbus_address}); null: the system bus */
    public LogindSleep(String dbusAddress) {
        this.address = LogindConnection.addressOf(dbusAddress);
    }

    /**
     * Sleeps, and returns once the machine has resumed.
     *
     * @param how          {@code suspend} or {@code hibernate}
     * @param startWithin  logind must begin ({@code PrepareForSleep(true)}) within this long
     * @param resumeWithin a bound on the wait for the resume, should its signal never come
     * @throws SleepFailedException the machine did not go to sleep
     */
    public void sleep(String how, Duration startWithin, Duration resumeWithin)
            throws SleepFailedException, InterruptedException {
        DBusConnection bus;
        try {
            bus = LogindConnection.open(address);
        } catch (LogindUnavailableException e) {
            throw new SleepFailedException(e.getMessage(), e);
        }
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch resumed = new CountDownLatch(1);
        try (AutoCloseable subscription = bus.addGenericSigHandler(
                DBusMatchRuleBuilder.create()
                        .withType("signal")
                        .withPath(MANAGER_PATH)
                        .withInterface("org.freedesktop.login1.Manager")
                        .withMember("PrepareForSleep")
                        .build(),
                (DBusSignal s) -> {
                    if (startFlag(s)) started.countDown();
                    else resumed.countDown();
                })) {
            LogindSleepCalls logind = bus.getRemoteObject(BUS_NAME, MANAGER_PATH, LogindSleepCalls.class);
            try {
                if ("hibernate".equals(how)) logind.hibernate(false);
                else logind.suspend(false);
            } catch (DBusExecutionException e) {
                throw new SleepFailedException("logind refused to " + how + ": " + e.getMessage(), e);
            }
            if (!started.await(startWithin.toMillis(), TimeUnit.MILLISECONDS))
                throw new SleepFailedException(
                        "logind did not begin to " + how + " within " + startWithin.toSeconds()
                                + " s (a block inhibitor may hold it)",
                        null);
            long deadline = System.nanoTime() + resumeWithin.toNanos();
            while (!resumed.await(CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!bus.isConnected()) {
                    log.info("the D-Bus connection to logind closed while asleep: taking the desk as awake");
                    return;
                }
                if (System.nanoTime() > deadline) {
                    log.warn("no resume signal from logind within {}: taking the desk as awake", resumeWithin);
                    return;
                }
            }
        } catch (DBusException e) {
            throw new SleepFailedException("cannot talk to logind at " + address + ": " + e.getMessage(), e);
        } catch (SleepFailedException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Only the subscription's close can get here, after the sleep: nothing to tell anyone.
            log.debug("closing the PrepareForSleep subscription failed", e);
        } finally {
            LogindConnection.closeQuietly(bus);
        }
    }

    /** {@code PrepareForSleep}'s one argument: true before sleeping, false after the resume. */
    private static boolean startFlag(DBusSignal s) {
        try {
            Object[] p = s.getParameters();
            return p.length > 0 && Boolean.TRUE.equals(p[0]);
        } catch (DBusException e) {
            return false; // unreadable: count it as the resume, the safe side (the agent beats again)
        }
    }
}
