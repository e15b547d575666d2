package org.cyphon.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.core.protocol.DeskEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk's events on their way to the coordinator's desk audit log: what the desk keeper did,
 * what the VM did by itself, what the owner asked for at the desk. Kept in a file in the state
 * directory until the coordinator has them, so an unreachable coordinator or an agent restart
 * loses none; each carries its own id, so one sent twice (an answer lost on the way) is recorded
 * once. Sent by a thread of its own, at once when there are some, with a growing pause while the
 * coordinator cannot be reached.
 */
final class DeskEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeskEvents.class);
    /** Beyond this many unsent, the oldest go: a desk cut off for weeks must not fill its disk. */
    static final int MAX_KEPT = 10_000;

    private static final int BATCH = 200;
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Where the events go. */
    interface Sink {
        void send(List<DeskEvent> events) throws CoordinatorUnreachableException, CoordinatorRefusedException;
    }

    private final Path file;
    private final List<DeskEvent> unsent = new ArrayList<>();
    private volatile boolean running = true;
    private Thread sender;

    /** @param file where the unsent events are kept (made if missing, mode 0600; read back at start) */
    DeskEvents(Path file) {
        this.file = file;
        private0600(file);
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) unsent.add(JSON.readValue(line, DeskEvent.class));
                }
            } catch (IOException | RuntimeException e) {
                log.warn("desk events: cannot read the unsent ones in {} ({}); they are lost", file, e.getMessage());
            }
        }
    }

    /** Puts one on its way (and on disk first). */
    void add(DeskEvent e) {
        synchronized (this) {
            unsent.add(e);
            if (unsent.size() > MAX_KEPT) {
                unsent.removeFirst();
                log.warn("desk events: more than {} unsent; the oldest is dropped", MAX_KEPT);
                rewrite();
            } else {
                try {
                    Files.writeString(
                            file,
                            JSON.writeValueAsString(e) + "\n",
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException x) {
                    log.warn("desk events: cannot keep one on disk ({}); it is sent from memory", x.getMessage());
                }
            }
            notifyAll();
        }
        log.info("desk event: {} {} {} {}: {}", e.principal(), e.action(), e.arguments(), e.result(), e.message());
    }

    /** Events not yet taken by the coordinator, oldest first. */
    synchronized List<DeskEvent> unsent() {
        return List.copyOf(unsent);
    }

    /** Starts sending to {@code sink}. */
    synchronized void sendTo(Sink sink) {
        if (sender != null) return;
        sender = Thread.ofPlatform().daemon().name("desk-events").start(() -> loop(sink));
    }

    /** Sends what is unsent now, once (tests, and the loop). */
    void sendNow(Sink sink) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        List<DeskEvent> batch;
        synchronized (this) {
            batch = List.copyOf(unsent.subList(0, Math.min(BATCH, unsent.size())));
        }
        if (batch.isEmpty()) return;
        sink.send(batch);
        synchronized (this) {
            unsent.removeAll(batch);
            rewrite();
        }
    }

    private void loop(Sink sink) {
        long backoff = 500;
        while (running) {
            try {
                synchronized (this) {
                    while (running && unsent.isEmpty()) wait();
                }
                if (!running) return;
                sendNow(sink);
                backoff = 500;
            } catch (InterruptedException e) {
                return;
            } catch (CoordinatorUnreachableException e) {
                backoff = pause(e.getMessage(), backoff);
            } catch (CoordinatorRefusedException e) {
                if (e.status() == 401) {
                    backoff = pause(e.getMessage(), Math.max(backoff, 5_000)); // enrolling again
                } else {
                    // A coordinator that cannot take them (an older one): they would never go.
                    log.warn("desk events: the coordinator refuses them ({}); {} dropped", e.getMessage(), dropAll());
                }
            } catch (RuntimeException e) {
                log.error("desk events: sender error", e);
                backoff = pause(e.toString(), backoff);
            }
        }
    }

    private synchronized int dropAll() {
        int n = unsent.size();
        unsent.clear();
        rewrite();
        return n;
    }

    private long pause(String why, long backoff) {
        if (running) log.debug("desk events: not sent ({}); again in {} ms", why, backoff);
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return Math.min(backoff * 2, 30_000);
    }

    /** Makes {@code f} empty and the agent's alone if it is missing: events carry the owner's name and the VM's log. */
    private static void private0600(Path f) {
        if (Files.exists(f)) return;
        try {
            Files.createFile(
                    f,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("desk events: cannot make {}: {}", f, e.getMessage());
        }
    }

    /** Caller holds the lock. */
    private void rewrite() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            private0600(tmp);
            StringBuilder out = new StringBuilder();
            for (DeskEvent e : unsent) out.append(JSON.writeValueAsString(e)).append('\n');
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("desk events: cannot rewrite {}: {}", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = sender;
            notifyAll();
        }
        if (t != null) t.interrupt();
    }
}
