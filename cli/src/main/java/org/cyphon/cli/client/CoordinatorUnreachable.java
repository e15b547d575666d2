package org.cyphon.cli.client;

/**
 * The coordinator could not be asked at all (connection refused, unknown host, timeout) or answered
 * with something that is not the Cyphon API. Exit code 2: nothing was refused, nothing happened.
 */
public final class CoordinatorUnreachable extends CliFailure {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public CoordinatorUnreachable(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
