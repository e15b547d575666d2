package org.cyphon.coordinator.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs a JDBC batch and reports rows changed per statement the same way on H2 and PostgreSQL. */
final class Batches {
    private Batches() {}

    /** @return per statement added, the rows it changed ({@code SUCCESS_NO_INFO} counted as 1) */
    static int[] run(PreparedStatement ps, int added) throws SQLException {
        int[] counts = ps.executeBatch();
        if (counts.length != added)
            throw new SQLException("batch of " + added + " statements reported " + counts.length + " results");
        for (int i = 0; i < counts.length; i++) if (counts[i] == Statement.SUCCESS_NO_INFO) counts[i] = 1;
        return counts;
    }
}
