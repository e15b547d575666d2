package org.cyphon.coordinator.profile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.Absence;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.PresenceInterval;

/** SQL for the track record (migration V6): machines' owner and zone, presence intervals, profiles, absences. */
final class ProfileTables {
    private ProfileTables() {}

    /** A machine as the track record restores it; the profile fields are null when none was saved. */
    record Stored(
            String machine,
            int cpuMillis,
            String owner,
            String zone,
            String snapshot,
            String openState,
            Long openSince,
            Long lastBeat) {}

    static List<Stored> all(Connection c) throws SQLException {
        return stored(c, null);
    }

    static Stored one(Connection c, String machine) throws SQLException {
        List<Stored> r = stored(c, machine);
        return r.isEmpty() ? null : r.get(0);
    }

    private static List<Stored> stored(Connection c, String machine) throws SQLException {
        String sql =
                "SELECT m.name, m.cpu_millis, m.owner_name, m.zone, p.snapshot, p.open_state, p.open_since, p.last_beat "
                        + "FROM machines m LEFT JOIN usage_profiles p ON p.machine = m.name"
                        + (machine == null ? "" : " WHERE m.name = ?") + " ORDER BY m.name";
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (machine != null) ps.setString(1, machine);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(
                            rs.getString(1),
                            rs.getInt(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            nullableLong(rs, 7),
                            nullableLong(rs, 8)));
                }
            }
        }
        return out;
    }

    /** At enrollment: a given owner or zone replaces the stored one; null keeps it. */
    static void enrolled(Connection c, String machine, String owner, String zone) throws SQLException {
        if (owner != null) setOwner(c, machine, owner);
        if (zone != null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE machines SET zone = ? WHERE name = ?")) {
                ps.setString(1, zone);
                ps.setString(2, machine);
                ps.executeUpdate();
            }
        }
    }

    /** Erases a forgotten machine's presence history, profile and absences (its row goes with the machine). */
    static void forget(Connection c, String machine) throws SQLException {
        for (String table : new String[] {"presence_intervals", "usage_profiles", "absences"}) {
            try (var ps = c.prepareStatement("DELETE FROM " + table + " WHERE machine = ?")) {
                ps.setString(1, machine);
                ps.executeUpdate();
            }
        }
    }

    /** @return false when there is no such machine */
    static boolean setOwner(Connection c, String machine, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE machines SET owner_name = ? WHERE name = ?")) {
            if (owner == null) ps.setNull(1, Types.VARCHAR);
            else ps.setString(1, owner);
            ps.setString(2, machine);
            return ps.executeUpdate() == 1;
        }
    }

    static void insertIntervals(Connection c, String machine, List<PresenceInterval> intervals) throws SQLException {
        if (intervals.isEmpty()) return;
        // MERGE-free upsert: an interval re-sent after a lost commit replaces itself.
        try (PreparedStatement del =
                        c.prepareStatement("DELETE FROM presence_intervals WHERE machine = ? AND start_at = ?");
                PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO presence_intervals (machine, start_at, end_at, state) VALUES (?, ?, ?, ?)")) {
            for (PresenceInterval i : intervals) {
                del.setString(1, machine);
                del.setLong(2, i.start().toEpochMilli());
                del.executeUpdate();
                ins.setString(1, machine);
                ins.setLong(2, i.start().toEpochMilli());
                ins.setLong(3, i.end().toEpochMilli());
                ins.setString(4, wire(i.state()));
                ins.executeUpdate();
            }
        }
    }

    static void saveProfile(
            Connection c,
            String machine,
            String snapshot,
            OwnerState open,
            Instant openSince,
            Instant lastBeat,
            long now)
            throws SQLException {
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE usage_profiles SET snapshot = ?, open_state = ?, open_since = ?, last_beat = ?, saved_at = ? WHERE machine = ?")) {
            bindProfile(up, snapshot, open, openSince, lastBeat, now);
            up.setString(6, machine);
            if (up.executeUpdate() == 1) return;
        }
        try (PreparedStatement in = c.prepareStatement(
                "INSERT INTO usage_profiles (snapshot, open_state, open_since, last_beat, saved_at, machine) VALUES (?, ?, ?, ?, ?, ?)")) {
            bindProfile(in, snapshot, open, openSince, lastBeat, now);
            in.setString(6, machine);
            in.executeUpdate();
        }
    }

    private static void bindProfile(
            PreparedStatement ps, String snapshot, OwnerState open, Instant openSince, Instant lastBeat, long now)
            throws SQLException {
        ps.setString(1, snapshot);
        if (open == null) ps.setNull(2, Types.VARCHAR);
        else ps.setString(2, wire(open));
        setInstant(ps, 3, openSince);
        setInstant(ps, 4, lastBeat);
        ps.setLong(5, now);
    }

    /** Deletes intervals that ended before {@code before}; returns how many. */
    static int prune(Connection c, Instant before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM presence_intervals WHERE end_at < ?")) {
            ps.setLong(1, before.toEpochMilli());
            return ps.executeUpdate();
        }
    }

    /** A machine's intervals that end after {@code since}, oldest first. */
    static List<PresenceInterval> intervals(Connection c, String machine, Instant since) throws SQLException {
        List<PresenceInterval> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT start_at, end_at, state FROM presence_intervals WHERE machine = ? AND end_at > ? ORDER BY start_at")) {
            ps.setString(1, machine);
            ps.setLong(2, since.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PresenceInterval(
                            Instant.ofEpochMilli(rs.getLong(1)),
                            Instant.ofEpochMilli(rs.getLong(2)),
                            state(rs.getString(3))));
                }
            }
        }
        return out;
    }

    /** The earliest start of any stored interval; null when there is none. */
    static Instant earliestStart(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(start_at) FROM presence_intervals");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? null : Instant.ofEpochMilli(v);
        }
    }

    /** A declared absence with its reason, as stored. */
    record StoredAbsence(String machine, Absence absence, String reason) {}

    /** The absences in force at {@code now} or ahead: not ended, until still to come. Newest last. */
    static List<StoredAbsence> declared(Connection c, Instant now) throws SQLException {
        List<StoredAbsence> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT machine, since_at, until_at, declared_by, reason FROM absences "
                        + "WHERE ended_at IS NULL AND until_at > ? ORDER BY id")) {
            ps.setLong(1, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Absence a = new Absence(
                            Instant.ofEpochMilli(rs.getLong(2)),
                            Instant.ofEpochMilli(rs.getLong(3)),
                            Absence.Kind.DECLARED,
                            rs.getString(4));
                    out.add(new StoredAbsence(rs.getString(1), a, rs.getString(5)));
                }
            }
        }
        return out;
    }

    /** Ends what is in force, then records the new declaration. */
    static void declare(Connection c, String machine, Absence a, String reason, Instant now) throws SQLException {
        end(c, machine, now, a.by());
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO absences (machine, since_at, until_at, reason, declared_by) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, machine);
            ps.setLong(2, a.since().toEpochMilli());
            ps.setLong(3, a.until().toEpochMilli());
            if (reason == null) ps.setNull(4, Types.VARCHAR);
            else ps.setString(4, reason);
            ps.setString(5, a.by());
            ps.executeUpdate();
        }
    }

    /** Ends the machine's absences in force; true when there was one. */
    static boolean end(Connection c, String machine, Instant now, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE absences SET ended_at = ?, ended_by = ? WHERE machine = ? AND ended_at IS NULL AND until_at > ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, by);
            ps.setString(3, machine);
            ps.setLong(4, now.toEpochMilli());
            return ps.executeUpdate() > 0;
        }
    }

    static String wire(OwnerState s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    static OwnerState state(String wire) {
        return OwnerState.valueOf(wire.toUpperCase(java.util.Locale.ROOT));
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, t.toEpochMilli());
    }

    private static Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
