package org.cyphon.coordinator.store;

import java.nio.file.Path;
import org.cyphon.coordinator.TestStore;

/** A test store (H2 file or a PostgreSQL schema) opened as the coordinator opens it; closing closes both. */
record OpenedStore(TestStore.Instance instance, Database db) implements AutoCloseable {
    static OpenedStore open(TestStore store, Path dir) {
        TestStore.Instance instance = store.create(dir);
        return new OpenedStore(instance, Database.open(instance.jdbcUrl(), instance.user(), instance.password(), 2));
    }

    @Override
    public void close() {
        try {
            db.close();
        } finally {
            instance.close();
        }
    }
}
