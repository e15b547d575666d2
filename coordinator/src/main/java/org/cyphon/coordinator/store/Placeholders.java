package org.cyphon.coordinator.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code IN (?, ?, ...)} lists, cut into chunks so no statement grows without bound, and padded so
 * only a few distinct statements exist. Both H2 and PostgreSQL accept plain parameter lists.
 *
 * <p>Why padding: each distinct SQL text is parsed and planned again, and the database caches only
 * so many (H2 per connection, the PostgreSQL driver per connection). A list of 13 ids is sent as
 * 16 (the last id repeated, which selects nothing more), so a query shape has at most
 * {@code log2(CHUNK) + 1} texts and they all stay cached.
 */
final class Placeholders {
    static final int CHUNK = 512;

    private Placeholders() {}

    static String of(int n) {
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "?" : ", ?");
        return sb.toString();
    }

    /** The values in chunks of at most {@value #CHUNK}, each padded to a power of two by repeating its last value. */
    static <T> List<List<T>> chunks(Collection<T> all) {
        List<List<T>> out = new ArrayList<>();
        List<T> cur = new ArrayList<>(Math.min(CHUNK, all.size()));
        for (T t : all) {
            cur.add(t);
            if (cur.size() == CHUNK) {
                out.add(cur);
                cur = new ArrayList<>(CHUNK);
            }
        }
        if (!cur.isEmpty()) out.add(padded(cur));
        return out;
    }

    /** The keys (at most {@value #CHUNK}) as a list padded to a power of two by repeating the last. */
    static List<Long> padded(long[] keys) {
        List<Long> chunk = new ArrayList<>(keys.length);
        for (long k : keys) chunk.add(k);
        return padded(chunk);
    }

    private static <T> List<T> padded(List<T> chunk) {
        int size = Integer.highestOneBit(chunk.size());
        if (size < chunk.size()) size <<= 1;
        T last = chunk.get(chunk.size() - 1);
        while (chunk.size() < size) chunk.add(last);
        return chunk;
    }
}
