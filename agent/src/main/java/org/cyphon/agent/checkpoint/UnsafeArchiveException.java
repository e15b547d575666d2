package org.cyphon.agent.checkpoint;

import java.io.IOException;

/** An archive that would write outside its directory or create anything but plain files and directories. */
public final class UnsafeArchiveException extends IOException {
    public UnsafeArchiveException(String message) {
        super(message);
    }
}
