package org.cyphon.coordinator.store;

/**
 * A compare-and-set write found its row changed by someone else since it was read. Thrown inside a
 * transaction to make {@link Transactions} roll back and run the work again on fresh rows.
 */
public final class ConcurrentChangeException extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public ConcurrentChangeException(String what) {
        super(what, null, false, false);
    }
}
