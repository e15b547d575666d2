package org.cyphon.agent.power;

/** The desk did not go to sleep: no logind, a refusal (polkit, an inhibitor), or no sign it began. */
public final class SleepFailedException extends Exception {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public SleepFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
