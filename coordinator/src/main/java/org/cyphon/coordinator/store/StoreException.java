package org.cyphon.coordinator.store;

/**
 * The store failed: the database is unreachable, or it kept losing races ({@code busy}). The HTTP
 * layer answers 503 for busy (the caller may retry) and 500 otherwise.
 */
public final class StoreException extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final boolean busy;

    public StoreException(String message, Throwable cause, boolean busy) {
        super(message, cause);
        this.busy = busy;
    }

    public boolean busy() {
        return busy;
    }
}
