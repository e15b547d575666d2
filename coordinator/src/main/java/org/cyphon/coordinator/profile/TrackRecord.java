package org.cyphon.coordinator.profile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.cyphon.coordinator.store.Database;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.ProfileSettings;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.core.protocol.DeskView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every desk's track record: learns each machine's {@link UsageProfile} from its heartbeats,
 * persists the intervals and the profile cheaply (on state changes and every
 * {@link DeskRecord#SAVE_EVERY}, not on every beat), restores it all when the coordinator starts,
 * holds the declared absences, and answers the scheduler's {@link #forecastsAt}.
 */
public final class TrackRecord implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrackRecord.class);
    /** How often old intervals are deleted. */
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final Database db;
    private final Clock clock;
    private final Duration lease;
    private final Duration retention;
    private final ZoneId defaultZone;
    private final Map<String, DeskRecord> desks = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastPrune = new AtomicReference<>();

    /**
     * @param retention how long presence intervals are kept (what they taught the profile stays)
     * @param defaultZone the zone of desks whose agent reports none
     */
    public TrackRecord(Database db, Clock clock, Duration lease, Duration retention, ZoneId defaultZone) {
        this.db = db;
        this.clock = clock;
        this.lease = lease;
        this.retention = retention;
        this.defaultZone = defaultZone;
        Instant now = clock.instant();
        record Loaded(List<ProfileTables.Stored> machines, List<ProfileTables.StoredAbsence> absences) {}
        Loaded l = db.transactions().read(c -> new Loaded(ProfileTables.all(c), ProfileTables.declared(c, now)));
        for (ProfileTables.Stored s : l.machines()) desks.put(s.machine(), restore(s));
        for (ProfileTables.StoredAbsence a : l.absences()) {
            DeskRecord d = desks.get(a.machine());
            if (d != null) d.declare(a.absence(), a.reason());
        }
        long learned = l.machines().stream().filter(s -> s.snapshot() != null).count();
        if (learned > 0)
            log.info(
                    "track record restored for {} desk(s), {} declared absence(s)",
                    learned,
                    l.absences().size());
    }

    private DeskRecord restore(ProfileTables.Stored s) {
        UsageProfile profile = s.snapshot() != null
                ? UsageProfile.restore(SnapshotJson.read(s.snapshot()))
                : UsageProfile.empty(ProfileSettings.defaults(zoneOf(s.zone())));
        OwnerState open = s.openState() == null ? null : ProfileTables.state(s.openState());
        return new DeskRecord(
                s.machine(),
                s.cpuMillis(),
                s.owner(),
                profile,
                open,
                s.openSince() == null ? null : Instant.ofEpochMilli(s.openSince()),
                s.lastBeat() == null ? null : Instant.ofEpochMilli(s.lastBeat()));
    }

    private ZoneId zoneOf(String zone) {
        try {
            return zone == null ? defaultZone : ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            return defaultZone; // checked at enrollment; a zone the JDK no longer knows falls back
        }
    }

    /** What a heartbeat reply tells the agent about its owner's return. */
    public record Hints(Instant ownerExpectedBy, Instant awayUntil) {}

    /** Learns from a heartbeat the coordinator accepted (the machine is enrolled); writes only when something changed or is due. */
    public Hints beat(String machine, DeskView desk) {
        Instant now = clock.instant();
        DeskRecord d = desk(machine);
        if (d == null) return new Hints(null, null);
        DeskRecord.Change change = d.beat(desk, now, lease);
        // The heartbeat itself is already committed: a store that fails here costs history, not the beat.
        try {
            if (change.save() != null) {
                String json = SnapshotJson.write(change.save().snapshot());
                DeskRecord.Save s = change.save();
                // Prompt, like the beat it belongs to: behind the backlog of a dispatching pool this
                // second write held the heartbeat's reply for seconds (bench/run scale).
                db.transactions().writePromptly(c -> {
                    ProfileTables.insertIntervals(c, machine, change.closed());
                    ProfileTables.saveProfile(
                            c, machine, json, s.open(), s.openSince(), s.lastBeat(), now.toEpochMilli());
                    return null;
                });
            }
            pruneIfDue(now);
        } catch (RuntimeException e) {
            log.warn(
                    "machine {}: could not store its track record ({}); the profile in memory is saved with a later beat",
                    machine,
                    e.toString());
        }
        return new Hints(d.ownerExpectedBy(now, lease), d.awayUntil(now));
    }

    /**
     * The machine's agent put it to sleep, with its owner's presence as last seen (normally away):
     * learned like a beat, then the stretch open goes on while it sleeps (the owner is away; one
     * who comes back wakes it), so its forecast stays that of an away owner and it keeps learning.
     */
    public void asleep(String machine, DeskView desk) {
        Instant now = clock.instant();
        beat(machine, desk);
        DeskRecord d = desk(machine);
        if (d != null) d.sleep(now);
    }

    /** After a restart: the machine was asleep since {@code since} (the machines table says so). */
    public void restoreAsleep(String machine, Instant since) {
        DeskRecord d = desk(machine);
        if (d != null) d.sleep(since);
    }

    /** The machine's record, loaded from the store the first time (a machine enrolled since the start); null if unknown. */
    DeskRecord desk(String machine) {
        DeskRecord d = desks.get(machine);
        if (d != null) return d;
        ProfileTables.Stored s = db.transactions().read(c -> ProfileTables.one(c, machine));
        if (s == null) return null;
        return desks.computeIfAbsent(machine, m -> restore(s));
    }

    /** After a machine was forgotten (its rows are gone): its record leaves memory too. */
    public void forgotten(String machine) {
        desks.remove(machine);
    }

    /** After an enrollment committed: its resources and any owner it named. */
    public void enrolled(String machine, int cpuMillis, String owner) {
        DeskRecord d = desks.get(machine);
        if (d != null) d.enrolled(cpuMillis, owner);
    }

    /**
     * The current forecast of every desk that is on: {@code idleFor} from its latest desk view, its
     * absence if any. Cheap: each desk's forecast is reused for a minute and rebuilt on a change.
     */
    public Map<String, IdleForecast> forecastsAt(Instant now) {
        Map<String, IdleForecast> out = new HashMap<>();
        for (DeskRecord d : desks.values()) {
            IdleForecast f = d.forecastAt(now, lease);
            if (f != null) out.put(d.machine, f);
        }
        return out;
    }

    /** Writes every desk's open stretch, so a clean restart loses nothing. */
    @Override
    public void close() {
        long now = clock.millis();
        try {
            db.transactions().write(c -> {
                for (DeskRecord d : desks.values()) {
                    DeskRecord.Save s = d.save();
                    if (s.lastBeat() == null) continue;
                    ProfileTables.saveProfile(
                            c, d.machine, SnapshotJson.write(s.snapshot()), s.open(), s.openSince(), s.lastBeat(), now);
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("could not save the track record at shutdown: {}", e.toString());
        }
    }

    private void pruneIfDue(Instant now) {
        Instant last = lastPrune.get();
        if (last != null && Duration.between(last, now).compareTo(PRUNE_EVERY) < 0) return;
        if (!lastPrune.compareAndSet(last, now)) return;
        int gone = db.transactions().write(c -> ProfileTables.prune(c, now.minus(retention)));
        if (gone > 0) log.info("deleted {} presence interval(s) older than {}", gone, retention);
    }

    Database db() {
        return db;
    }

    Clock clock() {
        return clock;
    }

    Duration lease() {
        return lease;
    }

    ZoneId defaultZone() {
        return defaultZone;
    }

    Iterable<DeskRecord> all() {
        return desks.values();
    }
}
