package org.cyphon.agent.client;

/** The coordinator answered 4xx: the request itself is wrong (or our token is no longer valid). */
public final class CoordinatorRefusedException extends Exception {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    public CoordinatorRefusedException(int status, String message, String field) {
        super(message + " (HTTP " + status + (field != null ? ", field " + field : "") + ")");
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
