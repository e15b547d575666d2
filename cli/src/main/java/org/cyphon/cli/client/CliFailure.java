package org.cyphon.cli.client;

/**
 * A failure the CLI reports to its user as one line on stderr and an exit code, never as a stack
 * trace. Subclasses decide the exit code: 1 when the coordinator refused a request, 2 when the CLI
 * could not even ask (bad input, no configuration, no connection).
 */
public abstract class CliFailure extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    protected CliFailure(String message) {
        super(message);
    }

    protected CliFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit code this failure maps to. */
    public abstract int exitCode();
}
