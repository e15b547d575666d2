package org.cyphon.agent.sensors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees a power-off, a reboot or a sleep coming, through systemd-logind: holds a delay lock on
 * {@code shutdown:sleep} ({@link LogindDelayLock}), listens for {@code PrepareForShutdown} and
 * {@code PrepareForSleep}, and reads how long logind waits for delay locks
 * ({@code InhibitDelayMaxUSec}). On {@code PrepareFor...(true)} it tells its {@link Listener}, on
 * a thread of its own, and releases the lock once the listener returns, so logind goes on at once
 * instead of waiting out its maximum. After a resume ({@code PrepareForSleep(false)}), or a power-off
 * called off ({@code PrepareForShutdown(false)}), it takes the lock again and says so.
 */
public final class LogindPowerWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogindPowerWatch.class);
    private static final String MANAGER_INTERFACE = "org.freedesktop.login1.Manager";

    /** What logind announced. */
    public enum Operation {
        SHUTDOWN("the desk is shutting down"),
        SLEEP("the desk is going to sleep");

        private final String reason;

        Operation(String reason) {
            this.reason = reason;
        }

        /** Why the agent leaves, as jobs' reports and {@code cyphon machine} say it. */
        public String reason() {
            return reason;
        }
    }

    /** The agent's side. Both run on the watch's own thread, one at a time. */
    public interface Listener {
        /**
         * logind is about to carry out {@code op}; the delay lock is released when this returns.
         *
         * @param delayMax how long logind waits at most for the lock (InhibitDelayMaxUSec), or null when unknown
         */
        void goingDown(Operation op, Duration delayMax);

        /** The desk is up again after {@code op} (resumed, or the power-off was called off); the lock is held again. */
        void back(Operation op);
    }

    private final DBusConnection connection;
    private final LogindDelayLock lock;
    private final Listener listener;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("logind-power").factory());
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private volatile Duration delayMax;

    private LogindPowerWatch(DBusConnection connection, LogindDelayLock lock, Listener listener) {
        this.connection = connection;
        this.lock = lock;
        this.listener = listener;
    }

    /**
     * Connects to logind's bus ({@code busAddress}, null: the system bus), subscribes and takes the
     * delay lock.
     *
     * @throws LogindUnavailableException no bus there, or no logind on it
     */
    public static LogindPowerWatch start(String busAddress, Listener listener)
            throws LogindUnavailableException, InterruptedException {
        String address = LogindConnection.addressOf(busAddress);
        DBusConnection connection = LogindConnection.open(address);
        LogindPowerWatch watch = new LogindPowerWatch(connection, LogindDelayLock.on(busAddress), listener);
        try {
            watch.subscribe();
            watch.delayMax = watch.readDelayMax();
        } catch (DBusException | RuntimeException e) {
            watch.close();
            throw new LogindUnavailableException(
                    "no logind on " + address + " (" + LogindConnection.reason(e) + ")", e);
        }
        if (!watch.lock.take()) LOG.warn("{}", watch.lock.problem());
        return watch;
    }

    /** logind's InhibitDelayMaxUSec as read at start (and after each resume), or null when it did not say. */
    public Duration delayMax() {
        return delayMax;
    }

    /** Whether the delay lock is held now. */
    public boolean lockHeld() {
        return lock.held();
    }

    /** Why the delay lock is not held, or null. */
    public String lockProblem() {
        return lock.problem();
    }

    private void subscribe() throws DBusException {
        for (Operation op : Operation.values()) {
            String member = op == Operation.SHUTDOWN ? "PrepareForShutdown" : "PrepareForSleep";
            subscriptions.add(connection.addGenericSigHandler(
                    DBusMatchRuleBuilder.create()
                            .withType("signal")
                            .withPath(LogindReader.MANAGER_PATH)
                            .withInterface(MANAGER_INTERFACE)
                            .withMember(member)
                            .build(),
                    (DBusSignal s) -> heard(op, s)));
        }
    }

    /** On dbus-java's signal thread: hands the work to the watch's own thread at once. */
    private void heard(Operation op, DBusSignal s) {
        boolean start;
        try {
            Object[] args = s.getParameters();
            start = args.length > 0 && Boolean.TRUE.equals(args[0]);
        } catch (DBusException e) {
            LOG.warn("logind {} signal unreadable: {}", op, e.getMessage());
            return;
        }
        try {
            thread.execute(() -> {
                if (start) goingDown(op);
                else back(op);
            });
        } catch (RejectedExecutionException closed) {
            // the agent is stopping: nothing holds the desk up any more
        }
    }

    private void goingDown(Operation op) {
        LOG.info("logind: {} (delay lock {})", op.reason(), lock.held() ? "held" : "not held");
        try {
            listener.goingDown(op, delayMax);
        } catch (RuntimeException e) {
            LOG.error("logind: preparing for {} failed", op, e);
        } finally {
            try {
                lock.release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void back(Operation op) {
        try {
            Duration read = readDelayMax();
            if (read != null) delayMax = read;
            if (!lock.take()) LOG.warn("{}", lock.problem());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (DBusException | RuntimeException e) {
            LOG.warn("logind: after {}: {}", op, LogindConnection.reason(e));
        }
        LOG.info("logind: the desk is back ({})", op == Operation.SLEEP ? "resumed" : "power-off called off");
        listener.back(op);
    }

    private Duration readDelayMax() throws DBusException {
        Properties p = connection.getRemoteObject(LogindReader.BUS_NAME, LogindReader.MANAGER_PATH, Properties.class);
        Object v = p.Get(MANAGER_INTERFACE, "InhibitDelayMaxUSec");
        if (v instanceof UInt64 u) return Duration.ofNanos(u.longValue() * 1000);
        if (v instanceof Number n) return Duration.ofNanos(n.longValue() * 1000);
        return null;
    }

    @Override
    public void close() {
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debug("removing a logind match rule failed", e);
            }
        }
        thread.shutdownNow();
        lock.close();
        LogindConnection.closeQuietly(connection);
    }
}
