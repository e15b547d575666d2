package org.cyphon.coordinator.store;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The little SQL that differs between the databases we run on. Everything else (migrations
 * included) is written once, in the standard SQL both accept.
 */
public enum Dialect {
    // H2 writes a sequence's state with a commit of its own (a file write) every CACHE values.
    H2("SELECT NEXT VALUE FOR %s FROM SYSTEM_RANGE(1, ?)", 1000, 100_000),
    // PostgreSQL caches per session: values from two connections would interleave. No cache.
    POSTGRESQL("SELECT nextval('%s') FROM generate_series(1, ?)", 1, 1);

    /** Distinct statements a connection keeps parsed: every shape we use, padded IN lists included ({@link Placeholders}). */
    private static final int H2_QUERY_CACHE = 256;
    /** H2's page cache, in KB (see {@link #tune}). */
    private static final int H2_CACHE_KB = 64 * 1024;

    private final String nextValues;
    private final int idCache;
    private final int internalCache;

    Dialect(String nextValues, int idCache, int internalCache) {
        this.nextValues = nextValues;
        this.idCache = idCache;
        this.internalCache = internalCache;
    }

    /** Flyway placeholders the migrations use: sequence caches for job ids and for internal numbers. */
    Map<String, String> placeholders() {
        return Map.of("id_cache", Integer.toString(idCache), "internal_cache", Integer.toString(internalCache));
    }

    /** From the JDBC URL, before any connection exists (the migrations need it). */
    static Dialect ofUrl(String url) {
        if (url.startsWith("jdbc:h2:")) return H2;
        if (url.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        throw new IllegalStateException(
                "unsupported database URL '" + url.replaceAll(";.*", "") + "' (use jdbc:h2: or jdbc:postgresql:)");
    }

    static Dialect of(String productName) {
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("h2")) return H2;
        if (p.contains("postgres")) return POSTGRESQL;
        throw new IllegalStateException("unsupported database '" + productName + "' (use H2 or PostgreSQL)");
    }

    /**
     * Connection settings that keep our statements cheap. H2 parses and plans a statement again
     * unless its text is in the connection's query cache, which holds only 8 by default: fewer than
     * the writer uses in one group commit, so under load it would parse almost every statement.
     * A URL that sets the cache itself is left alone.
     */
    void tune(HikariConfig hc, String url) {
        if (this == H2 && !url.toUpperCase(Locale.ROOT).contains("QUERY_CACHE_SIZE")) {
            hc.addDataSourceProperty("QUERY_CACHE_SIZE", Integer.toString(H2_QUERY_CACHE));
        }
        // H2's page cache is 16 MB by default. With a big job table (a million jobs is ~1 GB of
        // file) the pages every write walks through (the jobs and attempts indexes' upper levels,
        // the rows just assigned) no longer stay in it, and each miss reads and decodes a page
        // again: the profile of a dispatch run showed that as the writer's FileStore.readPage.
        if (this == H2 && !url.toUpperCase(Locale.ROOT).contains(";CACHE_SIZE")) {
            hc.addDataSourceProperty("CACHE_SIZE", Integer.toString(H2_CACHE_KB));
        }
        // H2 2.2 hands a query its last result again while no table it reads was modified since it
        // ran; but a commit marks its tables modified before the commit is visible, so a query run
        // in between caches a result without it and gets that back, on its connection, until some
        // later write (H2 issue 3894; seen as a read after a committed write missing it). Our
        // queries rarely repeat with the same parameters anyway: no reuse at all.
        if (this == H2 && !url.toUpperCase(Locale.ROOT).contains("OPTIMIZE_REUSE_RESULTS")) {
            hc.addDataSourceProperty("OPTIMIZE_REUSE_RESULTS", "0");
        }
        // The driver sends a batch of N inserts as N statements; rewritten, as multi-row INSERTs of
        // up to 128 rows each: a 100,000-job submit is ~800 statements instead of 200,000.
        if (this == POSTGRESQL && !url.contains("reWriteBatchedInserts")) {
            hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
    }

    /** {@code n} fresh values of {@code sequence} in one round trip, ascending. */
    public long[] nextValues(Connection c, String sequence, int n) throws SQLException {
        long[] out = new long[n];
        if (n == 0) return out;
        try (PreparedStatement ps = c.prepareStatement(nextValues.formatted(sequence))) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next() && i < n) out[i++] = rs.getLong(1);
                if (i != n) throw new SQLException("sequence " + sequence + " gave " + i + " values, wanted " + n);
            }
        }
        Arrays.sort(out);
        return out;
    }
}
