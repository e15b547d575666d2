package org.cyphon.coordinator.power;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.core.protocol.NicView;
import org.cyphon.core.protocol.PowerView;

/**
 * What the coordinator knows of each desk's power, in memory: asleep since when, the cards it can
 * be woken through, the last wake-up sent. Restored from the machines table at start, kept up to
 * date by sleep notices, heartbeats and wake-ups (each written to the store first). Read by the
 * scheduler's wake-ups and the machine views.
 */
public final class SleepingDesks {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SleepingDesks.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<NicView>> NICS = new TypeReference<>() {};

    /** One desk's power. {@code asleepSince} null: awake. */
    record Desk(Instant asleepSince, String how, List<NicView> nics, Instant wakeSentAt, String wakeSentBy) {
        Desk {
            nics = nics == null ? List.of() : List.copyOf(nics);
        }

        boolean asleep() {
            return asleepSince != null;
        }

        /** A wake-up was sent since it fell asleep. */
        boolean wakeSentSinceAsleep() {
            return asleep() && wakeSentAt != null && !wakeSentAt.isBefore(asleepSince);
        }

        /** Whether any of its cards may be woken by a magic packet. */
        boolean wakeable() {
            for (NicView n : nics) if (n.mayWake()) return true;
            return false;
        }
    }

    private final Map<String, Desk> desks = new ConcurrentHashMap<>();

    /** Loads what the store says of every machine that ever reported its cards. */
    public void restore(List<MachineRow> rows) {
        for (MachineRow m : rows) {
            if (m.nics() == null && m.asleepSince() == null) continue;
            desks.put(
                    m.name(),
                    new Desk(
                            instant(m.asleepSince()),
                            m.sleepHow(),
                            readNics(m.nics()),
                            instant(m.wakeSentAt()),
                            m.wakeSentBy()));
        }
    }

    void asleep(String machine, Instant since, String how, List<NicView> nics) {
        desks.compute(
                machine,
                (k, old) -> new Desk(
                        since,
                        how,
                        nics,
                        old == null ? null : old.wakeSentAt(),
                        old == null ? null : old.wakeSentBy()));
    }

    /**
     * The machine was heard from while it counted as asleep (its store row is already awake): it
     * is awake, woken by the coordinator's last wake-up or by its owner.
     */
    public void heardFrom(String machine, Instant now) {
        Desk d = desks.get(machine);
        if (!awake(machine) || d == null) return;
        String by = d.wakeSentSinceAsleep()
                ? "after the wake-up " + d.wakeSentBy() + " sent "
                        + java.time.Duration.between(d.wakeSentAt(), now).toSeconds() + " s before"
                : "by itself or its owner";
        LOG.info("machine {} is awake ({}; asleep since {})", machine, by, d.asleepSince());
    }

    /** Heard from: awake. @return whether it was asleep */
    boolean awake(String machine) {
        Desk[] was = new Desk[1];
        desks.computeIfPresent(machine, (k, d) -> {
            was[0] = d;
            return d.asleep() ? new Desk(null, d.how(), d.nics(), d.wakeSentAt(), d.wakeSentBy()) : d;
        });
        return was[0] != null && was[0].asleep();
    }

    void wakeSent(String machine, Instant at, String by) {
        desks.computeIfPresent(machine, (k, d) -> new Desk(d.asleepSince(), d.how(), d.nics(), at, by));
    }

    void forget(String machine) {
        desks.remove(machine);
    }

    Desk get(String machine) {
        return desks.get(machine);
    }

    /**
     * The machine view's power part; null for a machine that never reported its cards.
     *
     * @param wakeTimeout after this long without an answer a wake-up counts as unanswered
     */
    public PowerView view(String machine, Instant now, Duration wakeTimeout) {
        Desk d = desks.get(machine);
        if (d == null) return null;
        return new PowerView(
                d.asleepSince(), d.how(), d.nics(), d.wakeSentAt(), d.wakeSentBy(), unanswered(d, now, wakeTimeout));
    }

    public boolean asleep(String machine) {
        Desk d = desks.get(machine);
        return d != null && d.asleep();
    }

    static boolean unanswered(Desk d, Instant now, Duration wakeTimeout) {
        return d.wakeSentSinceAsleep() && Duration.between(d.wakeSentAt(), now).compareTo(wakeTimeout) >= 0;
    }

    static String writeNics(List<NicView> nics) {
        try {
            return JSON.writeValueAsString(nics);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<NicView> readNics(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            return JSON.readValue(json, NICS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored network cards are not a JSON list: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }
}
