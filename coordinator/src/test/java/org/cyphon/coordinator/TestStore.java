package org.cyphon.coordinator;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The databases the coordinator runs on, as the tests use them: H2's file under the data dir (the
 * default) and PostgreSQL ({@link PostgresForTests}). A test class annotated {@link OnEveryStore}
 * runs once on each.
 */
public enum TestStore {
    H2,
    POSTGRESQL;

    /** A store of its own for one coordinator and its restarts; closing it drops what it made. */
    public Instance create(Path dataDir) {
        return this == H2
                ? new Instance(null, CoordinatorConfig.defaults(dataDir).jdbcUrl(), "", "")
                : postgres();
    }

    private static Instance postgres() {
        PostgresForTests.Schema s = PostgresForTests.freshSchema();
        return new Instance(s, s.jdbcUrl(), s.user(), s.password());
    }

    /**
     * One store: its URL and credentials, for a coordinator's config, a child process's
     * {@code coordinator.toml} or a look at the rows themselves.
     */
    public static final class Instance implements AutoCloseable {
        private final PostgresForTests.Schema schema;
        private final String jdbcUrl;
        private final String user;
        private final String password;

        private Instance(PostgresForTests.Schema schema, String jdbcUrl, String user, String password) {
            this.schema = schema;
            this.jdbcUrl = jdbcUrl;
            this.user = user;
            this.password = password;
        }

        public boolean isH2() {
            return schema == null;
        }

        public String jdbcUrl() {
            return jdbcUrl;
        }

        public String user() {
            return user;
        }

        public String password() {
            return password;
        }

        /** The store as an admin gives it to {@code cyphon up --store}: {@code postgresql://USER@HOST:PORT/DB?...}. */
        public String postgresUri() {
            if (isH2()) throw new IllegalStateException("H2's store has no postgresql:// URI");
            return "postgresql://" + user + "@" + jdbcUrl.substring("jdbc:postgresql://".length());
        }

        /** H2's default store needs none; PostgreSQL's is the tests' 0600 file. */
        public Path passwordFile() {
            return isH2() ? null : PostgresForTests.passwordFile();
        }

        /** {@code config} with this store (H2: the data dir's own file, as by default). */
        public CoordinatorConfig applyTo(CoordinatorConfig config) {
            return isH2() ? config : config.withStore(jdbcUrl, user, password);
        }

        /** A plain JDBC connection to the store, to look at what the coordinator wrote. */
        public Connection connect() throws SQLException {
            return isH2() ? DriverManager.getConnection(jdbcUrl, "", "") : schema.connect();
        }

        /**
         * Every value of every row of every table the coordinator made, as text, one per line: what
         * anyone who reads the database (a backup, a DBA) reads.
         */
        public String everyValue() throws SQLException {
            StringBuilder out = new StringBuilder();
            try (Connection c = connect()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                    while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
                }
                if (tables.isEmpty()) throw new IllegalStateException("no tables in " + this);
                for (String table : tables) {
                    try (Statement st = c.createStatement();
                            ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++)
                                out.append(rs.getString(i)).append('\n');
                        }
                    }
                }
            }
            return out.toString();
        }

        @Override
        public void close() {
            if (schema != null) schema.close();
        }

        @Override
        public String toString() {
            return isH2() ? "H2" : "PostgreSQL schema " + schema.name();
        }
    }
}
