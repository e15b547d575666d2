package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL for the {@code machines} table. */
public final class MachineTable {
    private static final String COLUMNS =
            "name, cpu_millis, memory_bytes, sandbox, sandbox_note, agent_version, drained, enrolled_at, last_heartbeat, criu, "
                    + "agent_labels, admin_labels, pending, measured, joined_with, rotate_credential, max_jobs, "
                    + "disk_free_bytes, walls, asleep_since, sleep_how, nics, wake_sent_at, wake_sent_by, gpus";

    private MachineTable() {}

    /**
     * Inserts a newly enrolled machine. A name already enrolled is refused before this is called:
     * a machine's identity is bound at its first join.
     *
     * @param measuredJson what its agent measured (JSON), null when it sent nothing
     * @param joinedWith   the join secret's name, or {@code enroll.token}
     */
    public static void insert(
            Connection c,
            String name,
            int cpuMillis,
            long memoryBytes,
            String sandbox,
            String note,
            String version,
            String criu,
            long now,
            boolean pending,
            String measuredJson,
            String joinedWith)
            throws SQLException {
        try (PreparedStatement in = c.prepareStatement(
                "INSERT INTO machines (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, NULL, ?, NULL, NULL, ?, ?, ?, FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)")) {
            in.setString(1, name);
            in.setInt(2, cpuMillis);
            in.setLong(3, memoryBytes);
            Columns.setString(in, 4, sandbox);
            Columns.setString(in, 5, note);
            Columns.setString(in, 6, version);
            in.setLong(7, now);
            Columns.setString(in, 8, criu);
            in.setBoolean(9, pending);
            Columns.setString(in, 10, measuredJson);
            Columns.setString(in, 11, joinedWith);
            in.executeUpdate();
        }
    }

    /** Removes the machine (cyphon machine NAME --forget); @return false if there was none */
    public static boolean delete(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM machines WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** @return false if there is no such machine */
    public static boolean setPending(Connection c, String name, boolean pending) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE machines SET pending = ? WHERE name = ?")) {
            ps.setBoolean(1, pending);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** @return false if there is no such machine */
    public static boolean setRotateCredential(Connection c, String name, boolean rotate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE machines SET rotate_credential = ? WHERE name = ?")) {
            ps.setBoolean(1, rotate);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Records a heartbeat and the resources it declared; false if the machine is unknown.
     *
     * @param criu null keeps what the machine said before (an agent may say it only when enrolling)
     */
    public static boolean heartbeat(
            Connection c,
            String name,
            int cpuMillis,
            long memoryBytes,
            String sandbox,
            String note,
            String criu,
            long now)
            throws SQLException {
        return heartbeat(c, name, cpuMillis, memoryBytes, sandbox, note, criu, null, now);
    }

    /** @param agentLabelsJson the agent's labels as JSON ({@code "{}"}: none); null keeps those stored */
    public static boolean heartbeat(
            Connection c,
            String name,
            int cpuMillis,
            long memoryBytes,
            String sandbox,
            String note,
            String criu,
            String agentLabelsJson,
            long now)
            throws SQLException {
        return heartbeat(c, name, cpuMillis, memoryBytes, sandbox, note, criu, agentLabelsJson, false, null, now);
    }

    /**
     * @param gpusSaid whether the agent said anything about GPUs (older agents do not: keep those stored)
     * @param gpusJson its GPUs as JSON, null when it has none
     */
    public static boolean heartbeat(
            Connection c,
            String name,
            int cpuMillis,
            long memoryBytes,
            String sandbox,
            String note,
            String criu,
            String agentLabelsJson,
            boolean gpusSaid,
            String gpusJson,
            long now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE machines SET cpu_millis = ?, memory_bytes = ?, sandbox = ?, "
                        + "sandbox_note = ?, last_heartbeat = ?, criu = COALESCE(?, criu), agent_labels = COALESCE(?, agent_labels)"
                        + (gpusSaid ? ", gpus = ?" : "") + " WHERE name = ?")) {
            ps.setInt(1, cpuMillis);
            ps.setLong(2, memoryBytes);
            Columns.setString(ps, 3, sandbox);
            Columns.setString(ps, 4, note);
            ps.setLong(5, now);
            Columns.setString(ps, 6, criu);
            Columns.setString(ps, 7, agentLabelsJson);
            int at = 8;
            if (gpusSaid) Columns.setString(ps, at++, gpusJson);
            ps.setString(at, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** The machine's agent was heard from at {@code now} (never moves "last heard from" back). */
    public static void seen(Connection c, String name, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE machines SET last_heartbeat = ? WHERE name = ? AND (last_heartbeat IS NULL OR last_heartbeat < ?)")) {
            ps.setLong(1, now);
            ps.setString(2, name);
            ps.setLong(3, now);
            ps.executeUpdate();
        }
    }

    /**
     * Records what the agent's heartbeat says of its jobs' room and walls; each null keeps what is
     * stored (an older agent says none of it).
     */
    public static void jobRoom(Connection c, String name, Integer maxJobs, Long diskFreeBytes, String wallsJson)
            throws SQLException {
        if (maxJobs == null && diskFreeBytes == null && wallsJson == null) return;
        try (PreparedStatement ps = c.prepareStatement("UPDATE machines SET max_jobs = COALESCE(?, max_jobs), "
                + "disk_free_bytes = COALESCE(?, disk_free_bytes), walls = COALESCE(?, walls) WHERE name = ?")) {
            Columns.setInt(ps, 1, maxJobs);
            Columns.setLong(ps, 2, diskFreeBytes);
            Columns.setString(ps, 3, wallsJson);
            ps.setString(4, name);
            ps.executeUpdate();
        }
    }

    /** Replaces the labels admins set on the machine; false if there is no such machine. */
    public static boolean setAdminLabels(Connection c, String name, java.util.Map<String, String> labels)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE machines SET admin_labels = ? WHERE name = ?")) {
            Columns.setString(ps, 1, StoredJson.labels(labels));
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** @return false if there is no such machine */
    public static boolean setDrained(Connection c, String name, boolean drained) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE machines SET drained = ? WHERE name = ?")) {
            ps.setBoolean(1, drained);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Marks the machine asleep from {@code since}, with how it sleeps and the cards it can be woken
     * through (JSON); false if there is no such machine.
     */
    public static boolean asleep(Connection c, String name, long since, String how, String nicsJson)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE machines SET asleep_since = ?, sleep_how = ?, nics = ? WHERE name = ?")) {
            ps.setLong(1, since);
            ps.setString(2, how);
            Columns.setString(ps, 3, nicsJson);
            ps.setString(4, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** The machine is awake (it was heard from): @return whether it was asleep */
    public static boolean awake(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE machines SET asleep_since = NULL WHERE name = ? AND asleep_since IS NOT NULL")) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** Records a magic packet sent to the machine; false if there is no such machine. */
    public static boolean wakeSent(Connection c, String name, long at, String by) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE machines SET wake_sent_at = ?, wake_sent_by = ? WHERE name = ?")) {
            ps.setLong(1, at);
            ps.setString(2, by);
            ps.setString(3, name);
            return ps.executeUpdate() == 1;
        }
    }

    public static MachineRow byName(Connection c, String name) throws SQLException {
        List<MachineRow> r = query(c, "SELECT " + COLUMNS + " FROM machines WHERE name = ?", name);
        return r.isEmpty() ? null : r.get(0);
    }

    /** How many machines are enrolled (pending, drained and asleep ones included). */
    public static int count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM machines");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    public static List<MachineRow> all(Connection c) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM machines ORDER BY name");
    }

    private static List<MachineRow> query(Connection c, String sql, Object... args) throws SQLException {
        List<MachineRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new MachineRow(
                            rs.getString(1),
                            rs.getInt(2),
                            rs.getLong(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getBoolean(7),
                            rs.getLong(8),
                            Columns.getLong(rs, "last_heartbeat"),
                            rs.getString("criu"),
                            StoredJson.readLabels(rs.getString("agent_labels")),
                            StoredJson.readLabels(rs.getString("admin_labels")),
                            rs.getBoolean("pending"),
                            rs.getString("measured"),
                            rs.getString("joined_with"),
                            rs.getBoolean("rotate_credential"),
                            Columns.getInt(rs, "max_jobs"),
                            Columns.getLong(rs, "disk_free_bytes"),
                            rs.getString("walls"),
                            Columns.getLong(rs, "asleep_since"),
                            rs.getString("sleep_how"),
                            rs.getString("nics"),
                            Columns.getLong(rs, "wake_sent_at"),
                            rs.getString("wake_sent_by"),
                            StoredJson.readGpus(rs.getString("gpus"))));
                }
            }
        }
        return out;
    }
}
