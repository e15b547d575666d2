package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * SQL for {@code job_deps}: which job runs after which. One query per {@value Placeholders#CHUNK}
 * ids, one batch per write, like {@link JobTable}.
 */
public final class DependencyTable {
    private DependencyTable() {}

    /**
     * One edge: {@code jobId} runs after {@code afterId}.
     *
     * @param anyEnd true: any end of {@code afterId} will do; false: it must complete with exit code 0
     */
    public record Dependency(long jobId, long afterId, boolean anyEnd) {}

    public static void insert(Connection c, List<Dependency> deps) throws SQLException {
        if (deps.isEmpty()) return;
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO job_deps (job_id, after_id, any_end) VALUES (?, ?, ?)")) {
            for (Dependency d : deps) {
                ps.setLong(1, d.jobId());
                ps.setLong(2, d.afterId());
                ps.setBoolean(3, d.anyEnd());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The edges into the given jobs: what they run after. */
    public static List<Dependency> of(Connection c, Collection<Long> jobIds) throws SQLException {
        return select(c, "job_id", jobIds);
    }

    /** The edges out of the given jobs: which jobs run after them. */
    public static List<Dependency> onto(Connection c, Collection<Long> afterIds) throws SQLException {
        return select(c, "after_id", afterIds);
    }

    private static List<Dependency> select(Connection c, String column, Collection<Long> ids) throws SQLException {
        Set<Dependency> out = new LinkedHashSet<>(); // padded chunks may repeat an id
        for (List<Long> chunk : Placeholders.chunks(ids)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id, after_id, any_end FROM job_deps WHERE "
                    + column + " IN (" + Placeholders.of(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) ps.setLong(i + 1, chunk.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new Dependency(rs.getLong(1), rs.getLong(2), rs.getBoolean(3)));
                }
            }
        }
        return new ArrayList<>(out);
    }
}
