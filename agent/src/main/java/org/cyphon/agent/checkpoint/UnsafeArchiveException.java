package org.cyphon.agent.checkpoint;

import java.io.IOException;

/** An archive that would write outside its directory or create anything but plain files and directories. */
public final class UnsafeArchiveException extends IOException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public UnsafeArchiveException(String message) {
        super(message);
    }
}
