package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.cyphon.coordinator.StorePassword;

/**
 * The database one bulk run's coordinator uses: H2's file in the data dir (the default), or a
 * fresh schema in a PostgreSQL database, dropped after the run, with the server's own settings
 * (durable commits: {@code synchronous_commit} as the server has it, unlike the tests).
 */
final class BulkStore implements AutoCloseable {
    private final String jdbcBase;
    private final String user;
    private final Path passwordFile;
    private final String schema;

    private BulkStore(String jdbcBase, String user, Path passwordFile, String schema) {
        this.jdbcBase = jdbcBase;
        this.user = user;
        this.passwordFile = passwordFile;
        this.schema = schema;
    }

    static BulkStore h2() {
        return new BulkStore(null, null, null, null);
    }

    /** A new schema in the database at {@code jdbcUrl} (no schema chosen in it) as {@code user}. */
    static BulkStore postgresql(String jdbcUrl, String user, Path passwordFile) throws SQLException {
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "");
        BulkStore s = new BulkStore(jdbcUrl, user, passwordFile, schema);
        try (Connection c = s.connect(jdbcUrl);
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return s;
    }

    boolean isH2() {
        return schema == null;
    }

    /** For the result table: which database, which server, which commit durability. */
    String describe() throws SQLException {
        if (isH2()) return "H2 file in the data dir (the default)";
        try (Connection c = connect(jdbcBase);
                Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT version(), current_setting('synchronous_commit'),"
                        + " current_setting('shared_buffers'), current_setting('fsync')")) {
            rs.next();
            String version = rs.getString(1).replaceAll(" on .*", "");
            return version + " at " + jdbcBase + " (schema of its own; synchronous_commit " + rs.getString(2)
                    + ", fsync " + rs.getString(4) + ", shared_buffers " + rs.getString(3) + ")";
        }
    }

    /** The coordinator.toml that points the coordinator at this store (none for H2). */
    String configToml() {
        if (isH2()) return "";
        return """
                [store]
                url = "%s"
                user = "%s"
                password_file = "%s"
                """.formatted(
                jdbcBase + (jdbcBase.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, passwordFile);
    }

    private Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", StorePassword.fromFile(passwordFile));
        return DriverManager.getConnection(url, p);
    }

    /**
     * The earliest attempt assigned after {@code t} (epoch milliseconds), or 0 when there is none
     * yet: how the failover benchmark sees the pool dispatch again.
     */
    long firstAssignmentAfter(long t) throws SQLException {
        try (Connection c = connect(jdbcBase);
                Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            try (var ps = c.prepareStatement("SELECT MIN(started_at) FROM (SELECT started_at FROM live_attempts"
                    + " UNION ALL SELECT started_at FROM attempts) a WHERE started_at > ?")) {
                ps.setLong(1, t);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    /**
     * The database's size on disk: H2's files under the coordinator's data dir, or PostgreSQL's
     * tables, indexes and TOAST of this run's schema.
     */
    long sizeBytes(Path coordinatorDataDir) throws SQLException, IOException {
        if (isH2()) {
            try (var files = Files.walk(coordinatorDataDir)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".mv.db"))
                        .mapToLong(f -> f.toFile().length())
                        .sum();
            }
        }
        try (Connection c = connect(jdbcBase);
                var ps = c.prepareStatement("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r'")) {
            ps.setString(1, schema);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Drops the schema and everything in it. */
    @Override
    public void close() throws SQLException {
        if (isH2()) return;
        try (Connection c = connect(jdbcBase);
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** The password file the tests' PostgreSQL uses (tools/postgresql-for-tests.sh writes it). */
    static Path testPasswordFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config =
                xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("cyphon").resolve("test-postgresql.password");
    }

    static void requireReadable(Path passwordFile) throws IOException {
        if (!Files.isRegularFile(passwordFile))
            throw new IOException("no password file " + passwordFile
                    + ": run tools/postgresql-for-tests.sh (as root) or give --postgresql-password-file");
    }
}
