package org.cyphon.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.LongStream;
import org.cyphon.coordinator.OnEveryStore;
import org.cyphon.coordinator.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading rows by a set of keys on a real database (H2's file, PostgreSQL): whether it reads a key
 * range (dense keys) or an IN list (sparse ones), exactly the rows asked for come back, each once.
 */
@OnEveryStore
class SelectByKeysTest {
    @TempDir
    Path dir;

    private final TestStore store;
    private OpenedStore opened;
    private Database db;

    SelectByKeysTest(TestStore store) {
        this.store = store;
    }

    /** Rows 1..2,000 except the multiples of 7: a range read meets keys not asked for and gaps. */
    @BeforeEach
    void open() {
        opened = OpenedStore.open(store, dir);
        db = opened.db();
        db.transactions().write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE keyed (k BIGINT NOT NULL PRIMARY KEY, v VARCHAR(16) NOT NULL)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO keyed (k, v) VALUES (?, ?)")) {
                for (long k = 1; k <= 2_000; k++) {
                    if (k % 7 == 0) continue;
                    ps.setLong(1, k);
                    ps.setString(2, "row" + k);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        opened.close();
    }

    @Test
    void denseKeysReadAsARangeReturnOnlyTheRowsAskedFor() {
        List<Long> asked = List.of(10L, 11L, 13L, 15L, 16L, 17L); // span 8 for 6 keys: a range
        assertThat(SelectByKeys.isDense(sorted(asked))).isTrue();

        assertThat(read(asked)).containsExactly(10L, 11L, 13L, 15L, 16L, 17L);
    }

    @Test
    void sparseKeysReadAsAListReturnOnlyTheRowsAskedFor() {
        List<Long> asked = List.of(1_999L, 3L, 500L, 1_000L);
        assertThat(SelectByKeys.isDense(sorted(asked))).isFalse();

        assertThat(read(asked)).containsExactly(3L, 500L, 1_000L, 1_999L);
    }

    @Test
    void keysWithoutARowAreLeftOutAndRepeatedKeysGiveOneRow() {
        // 14 and 21 have no row (multiples of 7), 5,000 is past the end; 12 is asked three times.
        List<Long> dense = List.of(12L, 12L, 13L, 14L, 12L, 15L, 21L, 16L, 20L);
        List<Long> sparse = List.of(5_000L, 14L, 700L, 3L, 3L);

        assertThat(read(dense)).containsExactly(12L, 13L, 15L, 16L, 20L);
        assertThat(read(sparse)).containsExactly(3L);
    }

    @Test
    void moreKeysThanOneStatementTakesAreReadInChunksEachAsFitsIt() {
        // 1..1,200 (dense: several range chunks) and every 3rd key above (one IN chunk at least).
        List<Long> asked = new ArrayList<>();
        LongStream.rangeClosed(1, 1_200).forEach(asked::add);
        LongStream.iterate(1_201, k -> k <= 2_000, k -> k + 3).forEach(asked::add);
        List<Long> expected = asked.stream().filter(k -> k % 7 != 0).sorted().toList();

        assertThat(read(asked)).containsExactlyElementsOf(expected);
    }

    @Test
    void aSingleKeyAndNoKeysAtAll() {
        assertThat(read(List.of(8L))).containsExactly(8L);
        assertThat(read(List.of())).isEmpty();
    }

    @Test
    void theWidestPossibleSpanIsNotTakenForADenseOne() {
        // last - first + 1 overflows a long here; a naive check would call this dense.
        assertThat(SelectByKeys.isDense(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}))
                .isFalse();
        assertThat(SelectByKeys.isDense(new long[] {-1, Long.MAX_VALUE})).isFalse();
        assertThat(read(List.of(Long.MIN_VALUE, 5L, Long.MAX_VALUE))).containsExactly(5L);
    }

    /** The keys of the rows read, in the order read, each checked against its value. */
    private List<Long> read(Collection<Long> keys) {
        return db.transactions().read(c -> {
            List<Long> out = new ArrayList<>();
            SelectByKeys.select(
                    c,
                    "SELECT k, v FROM keyed",
                    "k",
                    keys,
                    rs -> new Row(rs.getLong(1), rs.getString(2)),
                    Row::k,
                    r -> {
                        assertThat(r.v()).isEqualTo("row" + r.k());
                        out.add(r.k());
                    });
            out.sort(null);
            return out;
        });
    }

    private record Row(long k, String v) {}

    private static long[] sorted(Collection<Long> keys) {
        return keys.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
    }
}
