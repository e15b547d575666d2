package org.cyphon.agent.desk;

import java.io.IOException;

/** QEMU answered a QMP command with an error; {@link #errorClass()} is QMP's class ({@code GenericError}, ...). */
public final class QmpException extends IOException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final String errorClass;

    QmpException(String command, String errorClass, String description) {
        super("QMP " + command + ": " + description + " (" + errorClass + ")");
        this.errorClass = errorClass;
    }

    public String errorClass() {
        return errorClass;
    }
}
