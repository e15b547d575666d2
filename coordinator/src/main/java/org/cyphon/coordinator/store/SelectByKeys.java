package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Rows by a set of unique keys (job ids, fencing tokens): one key range where the keys are dense, an
 * {@code IN} list where they are not.
 *
 * <p>Why: a database looks an {@code IN} list up one key at a time, and H2 then tests every row it
 * found against the whole list again, a linear scan of up to {@value Placeholders#CHUNK} parameters
 * per row. The keys a scheduling pass or an agent's report batch asks for are mostly consecutive
 * (jobs are placed in submission order and fencing tokens handed out in that order), so a range
 * reads them in one index scan, plus at most as many rows not asked for, which are dropped here.
 */
final class SelectByKeys {
    /** Reads one row of the result. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private SelectByKeys() {}

    /**
     * Runs {@code select} (a {@code SELECT ... FROM table} without a WHERE clause) for the keys and
     * gives {@code out} each row whose key is one of them, once; keys without a row are left out.
     *
     * @param column the key column, unique in the table
     * @param keyOf  the key of a row read
     */
    static <T> void select(
            Connection c,
            String select,
            String column,
            Collection<Long> keys,
            RowReader<T> reader,
            ToLongFunction<T> keyOf,
            Consumer<T> out)
            throws SQLException {
        for (long[] chunk : sortedChunks(keys)) {
            if (isDense(chunk)) {
                try (PreparedStatement ps = c.prepareStatement(select + " WHERE " + column + " BETWEEN ? AND ?")) {
                    ps.setLong(1, chunk[0]);
                    ps.setLong(2, chunk[chunk.length - 1]);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            T row = reader.read(rs);
                            if (Arrays.binarySearch(chunk, keyOf.applyAsLong(row)) >= 0) out.accept(row);
                        }
                    }
                }
            } else {
                List<Long> padded = Placeholders.padded(chunk);
                try (PreparedStatement ps = c.prepareStatement(
                        select + " WHERE " + column + " IN (" + Placeholders.of(padded.size()) + ")")) {
                    for (int i = 0; i < padded.size(); i++) ps.setLong(i + 1, padded.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.accept(reader.read(rs));
                    }
                }
            }
        }
    }

    /**
     * Whether a range scan is the cheaper read: the range holds at most twice as many keys as are
     * asked for. (A single key is read by an equality lookup either way.)
     */
    static boolean isDense(long[] sorted) {
        if (sorted.length < 2) return false;
        long span = sorted[sorted.length - 1] - sorted[0] + 1;
        return span > 0 && span <= 2L * sorted.length;
    }

    /** The distinct keys in ascending order, in chunks of at most {@value Placeholders#CHUNK}. */
    static List<long[]> sortedChunks(Collection<Long> keys) {
        long[] all =
                keys.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        List<long[]> out = new ArrayList<>(all.length / Placeholders.CHUNK + 1);
        for (int from = 0; from < all.length; from += Placeholders.CHUNK)
            out.add(Arrays.copyOfRange(all, from, Math.min(all.length, from + Placeholders.CHUNK)));
        return out;
    }
}
