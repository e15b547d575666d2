package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done inside one transaction. May run more than once (after a lost race), so it must not have side effects outside the connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
