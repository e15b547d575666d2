package org.cyphon.agent.sensors;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.cyphon.core.owner.OwnerSignal;
import org.cyphon.core.owner.SessionsSeen;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches systemd-logind over D-Bus ({@code org.freedesktop.login1}) and reports its sessions
 * (kind, local or remote, active, idle hint) and the programs holding an idle inhibitor as
 * {@link SessionsSeen} with source {@code logind}.
 *
 * <p>Why logind: it works where X-based idle detection does not — under Wayland (no
 * XScreenSaver), from a systemd-sandboxed service that cannot see X, and for ssh and remote
 * desktop sessions that never touch the local keyboard. Desktops tell logind when the session
 * goes idle ({@code IdleHint}); players tell it they are showing a video (an idle inhibitor), so
 * a paused-input film night does not read as "away".
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #start} connects to {@link SensorSettings#dbusAddress()} (or the system bus), reads
 *       logind once and sends that {@code SessionsSeen} to the sink before returning true. It
 *       returns false, with a one-sentence {@link #status()}, when the sensor is turned off, there
 *       is no bus ("no system D-Bus at ...") or nobody owns logind's name ("logind not running ...");
 *       it throws nothing for those.</li>
 *   <li>Afterwards it sends a new {@code SessionsSeen} only when what it reads differs from what it
 *       last sent. It reads again on logind's change signals ({@code SessionNew},
 *       {@code SessionRemoved}, {@code PropertiesChanged} of a session — idle hints arrive this way
 *       within one bus round trip) and every ten {@link SensorSettings#sampleEvery() sampleEvery}
 *       as a safety net: inhibitors have no signal, and tty idle hints are computed on read.</li>
 *   <li>If logind or the bus goes away later, the sensor keeps running, {@code status()} says why
 *       it is degraded, and it reconnects on the next slow re-read once the bus is back.</li>
 *   <li>All reads and all sink calls happen on the sensor's own single daemon thread.</li>
 * </ul>
 */
public final class LogindSensor implements Sensor {

    private static final Logger LOG = LoggerFactory.getLogger(LogindSensor.class);
    private static final String SOURCE = "logind";
    /** The safety re-read runs this many sampling intervals apart: signals do the prompt work. */
    private static final int REREAD_EVERY_SAMPLES = 10;

    private static final Duration SHORTEST_REREAD = Duration.ofMillis(100);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final boolean enabled;
    private final String address;
    private final Duration rereadEvery;
    private final Clock clock;
    private final AtomicBoolean rereadQueued = new AtomicBoolean();
    private final Object lifecycle = new Object();

    private volatile String status = "not started";
    private volatile boolean closed;
    private volatile ScheduledExecutorService thread;
    private Consumer<OwnerSignal> sink;

    // Touched only on the sensor thread (or by close() after that thread has stopped).
    private DBusConnection connection;
    private LogindReader reader;
    private LogindChangeSignals signals;
    private LogindSnapshot lastSent;

    /** Reads {@code logind}, {@code dbusAddress} and {@code sampleEvery}; connects only in {@link #start}. */
    public LogindSensor(SensorSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock the time stamped on each {@code SessionsSeen} */
    public LogindSensor(SensorSettings settings, Clock clock) {
        this.clock = clock;
        this.enabled = settings.logind();
        this.address = LogindConnection.addressOf(settings.dbusAddress());
        Duration sample = settings.sampleEvery() == null
                        || settings.sampleEvery().isNegative()
                        || settings.sampleEvery().isZero()
                ? Duration.ofSeconds(1)
                : settings.sampleEvery();
        Duration reread = sample.multipliedBy(REREAD_EVERY_SAMPLES);
        this.rereadEvery = reread.compareTo(SHORTEST_REREAD) < 0 ? SHORTEST_REREAD : reread;
    }

    @Override
    public String name() {
        return SOURCE;
    }

    /**
     * May be called again after it returned false (the bus may have come up since).
     *
     * @throws IllegalStateException when called again after it returned true
     */
    @Override
    public boolean start(Consumer<OwnerSignal> sink) {
        Objects.requireNonNull(sink, "sink");
        if (!enabled) {
            status = "turned off in agent.toml ([sensors] logind = false)";
            return false;
        }
        ScheduledExecutorService started;
        synchronized (lifecycle) {
            if (closed) {
                status = "closed before it was started";
                return false;
            }
            if (thread != null) {
                throw new IllegalStateException("logind sensor already started");
            }
            this.sink = sink;
            thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, "cyphon-logind-sensor");
                t.setDaemon(true);
                return t;
            });
            started = thread;
        }
        boolean watching;
        try {
            watching = started.submit(this::connectAndSend).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "interrupted while connecting to logind";
            watching = false;
        } catch (ExecutionException | RejectedExecutionException e) {
            status = "could not start watching logind (" + LogindConnection.reason(e) + ")";
            watching = false;
        }
        if (!watching) {
            stopThread(started);
            disconnect();
            synchronized (lifecycle) {
                // Not started after all: the agent may try again later (say, once the bus is up).
                if (thread == started) {
                    thread = null;
                }
            }
            return false;
        }
        try {
            var unused = started.scheduleWithFixedDelay(
                    this::reread, rereadEvery.toMillis(), rereadEvery.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return false; // closed while starting
        }
        LOG.info("logind sensor watching {} (safety re-read every {})", address, rereadEvery);
        return true;
    }

    @Override
    public String status() {
        return status;
    }

    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            running = thread;
        }
        if (running != null) {
            stopThread(running);
        }
        disconnect();
        status = "stopped";
    }

    /** First connection and read, on the sensor thread. */
    private boolean connectAndSend() {
        try {
            connect();
            LogindSnapshot snapshot = reader.read();
            status = "ok";
            send(snapshot);
            return true;
        } catch (LogindUnavailableException e) {
            status = e.getMessage();
            LOG.info("logind sensor unavailable: {}", status);
        } catch (DBusException e) {
            status = "could not subscribe to logind's signals on " + address + " (" + LogindConnection.reason(e) + ")";
            LOG.warn("logind sensor unavailable: {}", status, e);
        } catch (RuntimeException e) {
            status = "could not start watching logind on " + address + " (" + LogindConnection.reason(e) + ")";
            LOG.warn("logind sensor unavailable: {}", status, e);
        }
        disconnect();
        return false;
    }

    /** Reads again (after a signal or on the slow schedule); sends only a change. Never throws. */
    private void reread() {
        rereadQueued.set(false);
        if (closed) {
            return;
        }
        try {
            if (connection == null || !connection.isConnected()) {
                disconnect();
                connect();
                LOG.info("logind sensor reconnected to {}", address);
            }
            LogindSnapshot snapshot = reader.read();
            if (!status.equals("ok")) {
                LOG.info("logind answers again on {}", address);
                status = "ok";
            }
            if (!snapshot.equals(lastSent)) {
                send(snapshot);
            }
        } catch (LogindUnavailableException e) {
            degrade(e.getMessage());
        } catch (DBusException e) {
            degrade("could not subscribe to logind's signals on " + address + " (" + LogindConnection.reason(e) + ")");
        } catch (RuntimeException e) {
            // A throw would silently cancel the scheduled re-read for good; log and carry on.
            LOG.warn("logind re-read failed", e);
            degrade("logind re-read failed (" + LogindConnection.reason(e) + ")");
        }
    }

    private void degrade(String sentence) {
        if (closed) {
            return; // a read cut short by close(): "stopped" is the truth
        }
        if (!sentence.equals(status)) {
            LOG.warn("logind sensor degraded: {}", sentence);
        }
        status = sentence;
    }

    /** Called on dbus-java's signal thread: only queues a re-read, at most one pending at a time. */
    private void queueReread() {
        ScheduledExecutorService running = thread;
        if (closed || running == null || !rereadQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            running.execute(this::reread);
        } catch (RejectedExecutionException e) {
            rereadQueued.set(false); // closing
        }
    }

    private void connect() throws LogindUnavailableException, DBusException {
        connection = LogindConnection.open(address);
        // Subscribe before reading, so a change between the read and the subscription is not lost.
        signals = LogindChangeSignals.subscribe(connection, this::queueReread);
        reader = new LogindReader(connection, address);
    }

    private void disconnect() {
        if (signals != null && connection != null && connection.isConnected()) {
            signals.close();
        }
        signals = null;
        reader = null;
        LogindConnection.closeQuietly(connection);
        connection = null;
    }

    private void send(LogindSnapshot snapshot) {
        LOG.debug("logind: sessions {}, idle inhibitors {}", snapshot.sessions(), snapshot.idleInhibitors());
        sink.accept(new SessionsSeen(SOURCE, clock.instant(), snapshot.sessions(), snapshot.idleInhibitors()));
        lastSent = snapshot;
    }

    private static void stopThread(ScheduledExecutorService running) {
        running.shutdown();
        try {
            if (!running.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                running.shutdownNow(); // a read stuck on a hung bus; the connection close below ends it
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
