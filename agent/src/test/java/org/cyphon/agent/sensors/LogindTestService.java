package org.cyphon.agent.sensors;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.FileDescriptor;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/**
 * A test systemd-logind: owns {@code org.freedesktop.login1} on a {@link DBusPrivateBus}, exports
 * the Manager at {@code /org/freedesktop/login1} and one {@link LogindTestSession} per session,
 * and emits the signals logind emits ({@code SessionNew}, {@code SessionRemoved},
 * {@code PropertiesChanged} when an idle hint changes). Inhibitors, as in logind, change silently.
 *
 * <p>Power: {@code Inhibit} hands out real locks ({@link LogindTestDelayLocks}: a FIFO's writing end
 * passed over the bus as a file descriptor), {@link #announceShutdown} and {@link #announceSleep}
 * emit {@code PrepareForShutdown}/{@code PrepareForSleep} and then honour the delay locks as logind
 * does: they wait until every one is released, at most {@code InhibitDelayMaxUSec} (a property of
 * the Manager, like logind's), and say how long that took.
 *
 * <p>It fakes only logind's decisions (which sessions exist, what is idle, when the machine goes
 * down); the bus, the wire format, the descriptors and the clients are real. Its own connection
 * uses {@link FdPassingTransportProvider}, the one that can pass descriptors.
 */
final class LogindTestService implements LogindTestManager, Properties, AutoCloseable {

    static final String BUS_NAME = "org.freedesktop.login1";
    static final String MANAGER_PATH = "/org/freedesktop/login1";

    /** What one session looks like to logind; see org.freedesktop.login1(5). */
    record SessionSpec(
            String id,
            String user,
            String type,
            String sessionClass,
            String service,
            boolean remote,
            String remoteHost,
            boolean active,
            String state) {

        static SessionSpec local(String id, String user, String type, String service) {
            return new SessionSpec(id, user, type, "user", service, false, "", true, "active");
        }

        static SessionSpec remote(String id, String user, String type, String service, String fromHost) {
            return new SessionSpec(id, user, type, "user", service, true, fromHost, true, "active");
        }

        SessionSpec withClass(String sessionClass) {
            return new SessionSpec(id, user, type, sessionClass, service, remote, remoteHost, active, state);
        }

        SessionSpec withState(String state) {
            return new SessionSpec(id, user, type, sessionClass, service, remote, remoteHost, active, state);
        }

        /** The seat logind gives it: graphical and tty logins at the desk sit on seat0, remote ones on none. */
        String seat() {
            return remote || service.contains("rdp") || service.contains("vnc") ? "" : "seat0";
        }

        Map<String, Variant<?>> properties() {
            return Map.ofEntries(
                    Map.entry("Id", new Variant<>(id)),
                    Map.entry("Name", new Variant<>(user)),
                    Map.entry("Type", new Variant<>(type)),
                    Map.entry("Class", new Variant<>(sessionClass)),
                    Map.entry("Service", new Variant<>(service)),
                    Map.entry("Remote", new Variant<>(remote)),
                    Map.entry("RemoteHost", new Variant<>(remoteHost)),
                    Map.entry("Active", new Variant<>(active)),
                    Map.entry("State", new Variant<>(state)),
                    Map.entry("IdleHint", new Variant<>(false)),
                    Map.entry("IdleSinceHint", new Variant<>(new UInt64(0))),
                    Map.entry("IdleSinceHintMonotonic", new Variant<>(new UInt64(0))));
        }
    }

    private final DBusConnection connection;
    private final Map<String, SessionSpec> sessions = new ConcurrentHashMap<>();
    private final Map<String, LogindTestSession> sessionObjects = new ConcurrentHashMap<>();
    private final List<InhibitorRow> inhibitors = new CopyOnWriteArrayList<>();
    private final AtomicInteger inhibitorListings = new AtomicInteger();
    private final LogindTestDelayLocks locks;
    private volatile Duration inhibitDelayMax = Duration.ofSeconds(5); // logind's default

    private LogindTestService(DBusConnection connection, LogindTestDelayLocks locks) {
        this.connection = connection;
        this.locks = locks;
    }

    /** Connects to the bus ({@code unix:path=...}), exports the Manager and takes logind's name. */
    static LogindTestService startOn(String address) throws DBusException, IOException {
        DBusConnection connection = DBusConnectionBuilder.forAddress(FdPassingTransportProvider.addressFor(address))
                .withShared(false)
                .build();
        LogindTestService service = new LogindTestService(connection, new LogindTestDelayLocks());
        try {
            connection.exportObject(MANAGER_PATH, service);
            connection.requestBusName(BUS_NAME);
            return service;
        } catch (DBusException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** logind's object path for a session id: bytes other than [A-Za-z0-9] and a leading digit become _xx. */
    static String pathOf(String sessionId) {
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < sessionId.length(); i++) {
            char c = sessionId.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9' && i > 0);
            label.append(plain ? String.valueOf(c) : String.format("_%02x", (int) c));
        }
        return MANAGER_PATH + "/session/" + label;
    }

    /** Adds a session as a login would, with logind's {@code SessionNew} signal. */
    void addSession(SessionSpec spec) throws DBusException {
        String path = pathOf(spec.id());
        LogindTestSession object = new LogindTestSession(path, spec.properties());
        connection.exportObject(path, object);
        sessionObjects.put(spec.id(), object);
        sessions.put(spec.id(), spec);
        connection.sendMessage(new SessionNew(MANAGER_PATH, spec.id(), new DBusPath(path)));
    }

    /** Ends a session as a logout would, with logind's {@code SessionRemoved} signal. */
    void removeSession(String id) throws DBusException {
        String path = pathOf(id);
        sessions.remove(id);
        sessionObjects.remove(id);
        connection.unExportObject(path);
        connection.sendMessage(new SessionRemoved(MANAGER_PATH, id, new DBusPath(path)));
    }

    /**
     * Sets the session's idle hint as a desktop's {@code SetIdleHint} call would, and announces it
     * the way logind does: {@code PropertiesChanged} on the session with the new values.
     */
    void setIdleHint(String id, boolean idle, Instant since) throws DBusException {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, since);
        Map<String, Variant<?>> changed = Map.of(
                "IdleHint", new Variant<>(idle),
                "IdleSinceHint", new Variant<>(new UInt64(micros)),
                "IdleSinceHintMonotonic", new Variant<>(new UInt64(micros / 2)));
        sessionObjects.get(id).put(changed);
        connection.sendMessage(
                new Properties.PropertiesChanged(pathOf(id), "org.freedesktop.login1.Session", changed, List.of()));
    }

    /** A program takes an inhibitor lock (logind sends no signal for that). */
    void holdInhibitor(String what, String who, String why, String mode) {
        inhibitors.add(new InhibitorRow(what, who, why, mode, new UInt32(1000), new UInt32(4242)));
    }

    /** logind's {@code InhibitDelayMaxSec}: the longest it waits for delay locks (default 5 s, as logind's). */
    void setInhibitDelayMax(Duration max) {
        inhibitDelayMax = max;
    }

    /** The locks held now. */
    List<LogindTestDelayLocks.Lock> locksHeld() {
        return locks.held();
    }

    /**
     * A power-off as logind does it: {@code PrepareForShutdown(true)}, then the wait for the delay
     * locks on "shutdown" (at most InhibitDelayMaxUSec). The machine would go down when this returns.
     */
    LogindTestDelayLocks.Wait announceShutdown() throws DBusException, InterruptedException {
        connection.sendMessage(new PrepareForShutdown(MANAGER_PATH, true));
        return locks.awaitDelayLocks("shutdown", inhibitDelayMax);
    }

    /** A suspend as logind does it: {@code PrepareForSleep(true)}, then the wait for the delay locks on "sleep". */
    LogindTestDelayLocks.Wait announceSleep() throws DBusException, InterruptedException {
        connection.sendMessage(new PrepareForSleep(MANAGER_PATH, true));
        return locks.awaitDelayLocks("sleep", inhibitDelayMax);
    }

    /** The machine is back from sleep: {@code PrepareForSleep(false)}. */
    void announceResume() throws DBusException {
        connection.sendMessage(new PrepareForSleep(MANAGER_PATH, false));
    }

    @Override
    public FileDescriptor Inhibit(String what, String who, String why, String mode) {
        return locks.take(what, who, why, mode);
    }

    /** The Manager's properties: only those a client of this test logind reads. */
    @Override
    public Map<String, Variant<?>> GetAll(String interfaceName) {
        return "org.freedesktop.login1.Manager".equals(interfaceName)
                ? Map.of("InhibitDelayMaxUSec", new Variant<>(new UInt64(inhibitDelayMax.toNanos() / 1000)))
                : Map.of();
    }

    @Override
    // The signature is D-Bus's Properties.Get, which this test object implements.
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
    public <A> A Get(String interfaceName, String propertyName) {
        return (A) GetAll(interfaceName).get(propertyName).getValue();
    }

    @Override
    public <A> void Set(String interfaceName, String propertyName, A value) {
        throw new UnsupportedOperationException("the test logind's properties are read-only");
    }

    /** How often someone has called {@code ListInhibitors}: proof that a re-read happened. */
    int inhibitorListings() {
        return inhibitorListings.get();
    }

    @Override
    public List<SessionRow> ListSessions() {
        List<SessionRow> rows = new ArrayList<>();
        for (SessionSpec s : sessions.values()) {
            rows.add(new SessionRow(s.id(), new UInt32(1000), s.user(), s.seat(), new DBusPath(pathOf(s.id()))));
        }
        return rows;
    }

    @Override
    public List<InhibitorRow> ListInhibitors() {
        inhibitorListings.incrementAndGet();
        List<InhibitorRow> rows = new ArrayList<>(inhibitors);
        for (LogindTestDelayLocks.Lock l : locks.held())
            rows.add(new InhibitorRow(l.what(), l.who(), l.why(), l.mode(), new UInt32(0), new UInt32(1)));
        return rows;
    }

    @Override
    public String getObjectPath() {
        return MANAGER_PATH;
    }

    /** Leaves the bus: logind's name is free again, as when logind stops. */
    @Override
    public void close() {
        locks.close();
        try {
            connection.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
