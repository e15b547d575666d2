package org.cyphon.agent.sensors;

/**
 * logind cannot be reached: no bus at the address, or nobody owns {@code org.freedesktop.login1}
 * on it, or it stopped answering. The message is one sentence fit for {@link Sensor#status()}.
 */
public final class LogindUnavailableException extends Exception {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    LogindUnavailableException(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}
