package org.cyphon.cli.client;

import org.cyphon.core.protocol.ErrorBody;

/**
 * The coordinator answered with an error ({@code ErrorBody}). A 4xx means it refused the request
 * (bad input, not allowed, unknown job, illegal state change): exit code 1. A 5xx means the
 * coordinator itself failed, which the user cannot fix by changing the request: exit code 2.
 */
public final class ApiRefusal extends CliFailure {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ErrorBody body; // exceptions here are never serialized

    public ApiRefusal(int status, ErrorBody body) {
        super(describe(body));
        this.status = status;
        this.body = body;
    }

    /** The HTTP status of the reply. */
    public int status() {
        return status;
    }

    /** What the coordinator said; {@code field} may be null. */
    public ErrorBody body() {
        return body;
    }

    @Override
    public int exitCode() {
        return status >= 500 ? 2 : 1;
    }

    private static String describe(ErrorBody body) {
        return body.field() == null ? body.error() : body.error() + " (field: " + body.field() + ")";
    }
}
