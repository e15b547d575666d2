package org.cyphon.coordinator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * The PostgreSQL the tests run on: {@code tools/postgresql-for-tests.sh} (which {@code .ci/run}
 * runs) starts Debian's cluster and makes the role and database {@code cyphon_test}, whose password
 * it keeps in a 0600 file. Each store under test is a fresh schema in that database, dropped when the
 * test is done, so tests never see each other's rows and nothing is left behind.
 *
 * <p>Unreachable, it fails the test with what to run; it never skips it (a test skipped for want of
 * a database is a test that passes without testing anything). Overrides, for another server:
 * {@code -Dcyphon.test.postgresql.url=jdbc:postgresql://HOST:PORT/DB} (user {@code cyphon_test} unless
 * the URL says {@code user=}) and {@code -Dcyphon.test.postgresql.passwordFile=FILE}.
 */
public final class PostgresForTests {
    public static final String URL_PROPERTY = "cyphon.test.postgresql.url";
    public static final String PASSWORD_FILE_PROPERTY = "cyphon.test.postgresql.passwordFile";
    public static final String USER = "cyphon_test";

    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/cyphon_test";
    /**
     * Commits still go to PostgreSQL's shared buffers before they are acknowledged, so every other
     * connection sees them and a killed coordinator loses none; only the WAL flush is left to the
     * background writer, which matters for a crash of the server alone. It halves the time of the
     * tests that commit a thousand heartbeats one by one, and no test can tell the difference.
     */
    private static final String TEST_OPTIONS = "options=-c%20synchronous_commit%3Doff";

    private PostgresForTests() {}

    /** The database's URL (no schema chosen), as given or by default. */
    public static String url() {
        return System.getProperty(URL_PROPERTY, DEFAULT_URL);
    }

    public static Path passwordFile() {
        String given = System.getProperty(PASSWORD_FILE_PROPERTY);
        if (given != null && !given.isBlank()) return Path.of(given);
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config =
                xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("cyphon").resolve("test-postgresql.password");
    }

    /** A fresh, empty schema of its own in the test database. */
    public static Schema freshSchema() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        String password = password();
        try (Connection c = connect(url(), password);
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw unreachable(e.getMessage());
        }
        String base = url();
        return new Schema(
                name, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name + "&" + TEST_OPTIONS, password);
    }

    private static String password() {
        Path file = passwordFile();
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw unreachable("no password file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Connection connect(String url, String password) throws SQLException {
        Properties p = new Properties();
        if (!url.contains("user=")) p.setProperty("user", USER);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    private static IllegalStateException unreachable(String why) {
        return new IllegalStateException("the tests' PostgreSQL at " + url() + " (user " + USER + ") cannot be used: "
                + why.replaceAll("\\.+$", "")
                + ". These tests run on H2 and on PostgreSQL, and are not skipped: start it and make the"
                + " test role with `sudo tools/postgresql-for-tests.sh` (what .ci/run does; Debian's"
                + " `apt-get install postgresql` first), or point -D" + URL_PROPERTY + " and -D"
                + PASSWORD_FILE_PROPERTY + " at another server");
    }

    /** One test's schema: its URL selects it; {@link #close} drops it and everything in it. */
    public record Schema(String name, String jdbcUrl, String password) implements AutoCloseable {
        public String user() {
            return USER;
        }

        public Connection connect() throws SQLException {
            return PostgresForTests.connect(jdbcUrl, password);
        }

        @Override
        public void close() {
            try (Connection c = PostgresForTests.connect(url(), password);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop the test schema " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
