package org.cyphon.agent.client;

/**
 * The coordinator could not be reached or answered 5xx. The agent keeps its jobs running and
 * retries: a coordinator restart must never cost a desktop its work.
 */
public final class CoordinatorUnreachableException extends Exception {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public CoordinatorUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
