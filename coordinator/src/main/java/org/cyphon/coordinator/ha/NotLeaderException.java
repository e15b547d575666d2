package org.cyphon.coordinator.ha;

/** A leader's write found that another coordinator took over: the write is rolled back, and this one steps down. */
public final class NotLeaderException extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final long epoch;

    public NotLeaderException(long epoch) {
        super("no longer the leader: epoch " + epoch + " was taken over by another coordinator");
        this.epoch = epoch;
    }

    /** The epoch this coordinator thought it led in. */
    public long epoch() {
        return epoch;
    }
}
