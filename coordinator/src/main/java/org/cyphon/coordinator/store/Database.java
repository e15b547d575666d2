package org.cyphon.coordinator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The coordinator's store: a HikariCP pool over H2 (file) or PostgreSQL, brought to the latest
 * schema by Flyway when opened. Connections are handed out with auto-commit off and READ COMMITTED
 * isolation; all work goes through {@link Transactions}, which group-commits the writes.
 *
 * <p>Why compare-and-set writes although one thread writes: every writer reads the rows it changes,
 * asks core what the change is, and writes it back with {@code WHERE version = ?}. That needs no
 * database-specific locking syntax, so the same SQL runs on H2 and PostgreSQL, stays correct if
 * writes are ever spread over several threads again, and a lost race is just a retry.
 */
public final class Database implements AutoCloseable {
    static final String MIGRATIONS = "classpath:org/cyphon/coordinator/store/migration";

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final Transactions transactions;
    private final PlannerStatistics statistics;

    private Database(HikariDataSource pool, Dialect dialect, PlannerStatistics statistics) {
        this.pool = pool;
        this.dialect = dialect;
        this.transactions = new Transactions(pool);
        this.statistics = statistics;
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @throws IllegalStateException naming the URL when the database cannot be opened or migrated
     */
    public static Database open(String url, String user, String password, int poolSize) {
        HikariConfig hc = new HikariConfig();
        Dialect dialect = Dialect.ofUrl(url);
        hc.setJdbcUrl(url);
        // Unset rather than empty, so the PostgreSQL driver looks in ~/.pgpass (or $PGPASSFILE) itself.
        hc.setUsername(dialect == Dialect.POSTGRESQL && (user == null || user.isEmpty()) ? null : user);
        hc.setPassword(dialect == Dialect.POSTGRESQL && (password == null || password.isEmpty()) ? null : password);
        hc.setMaximumPoolSize(poolSize + 1); // one more for the writer, so reads never wait for it
        hc.setMinimumIdle(Math.min(2, poolSize));
        hc.setAutoCommit(false);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hc.setPoolName("cyphon-store");
        dialect.tune(hc, url);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the database at " + redact(url) + ": " + rootMessage(e), e);
        }
        try {
            try (Connection c = ds.getConnection()) {
                Dialect product = Dialect.of(c.getMetaData().getDatabaseProductName());
                if (product != dialect)
                    throw new IllegalStateException("the URL says " + dialect + " but the database is " + product);
                c.commit();
            }
            Flyway.configure()
                    .dataSource(ds)
                    .locations(MIGRATIONS)
                    .placeholders(dialect.placeholders())
                    .load()
                    .migrate();
            return new Database(ds, dialect, PlannerStatistics.of(dialect, ds));
        } catch (RuntimeException | SQLException e) {
            ds.close();
            throw new IllegalStateException("cannot migrate the database at " + redact(url) + ": " + rootMessage(e), e);
        }
    }

    public Transactions transactions() {
        return transactions;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Told of bulk changes to the jobs table, so that PostgreSQL plans the next queries knowing them. */
    public PlannerStatistics plannerStatistics() {
        return statistics;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Finishes queued writes, then closes the pool (and with it an H2 database). */
    @Override
    public void close() {
        transactions.close();
        statistics.close();
        pool.close();
    }

    private static String redact(String url) {
        return StoreUrl.redact(url);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }
}
