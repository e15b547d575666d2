package org.cyphon.coordinator.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code IN (?, ?, ...)} lists, cut into chunks so no statement grows without bound. Both H2 and
 * PostgreSQL accept plain parameter lists; chunks of {@value #CHUNK} keep plans cacheable.
 */
final class Placeholders {
    static final int CHUNK = 500;

    private Placeholders() {}

    static String of(int n) {
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "?" : ", ?");
        return sb.toString();
    }

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
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }
}
