package org.cyphon.coordinator.api;

/**
 * A request the coordinator refuses, with the HTTP status and the {@code ErrorBody} it becomes:
 * what is wrong, and the input field it is about (null when not about one field).
 */
public final class ApiError extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    public ApiError(int status, String error, String field) {
        super(error, null, false, false); // expected, not a bug: no stack trace
        this.status = status;
        this.field = field;
    }

    public static ApiError badField(String field, String problem) {
        return new ApiError(400, field + ": " + problem, field);
    }

    public static ApiError notFound(String what) {
        return new ApiError(404, what, null);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
