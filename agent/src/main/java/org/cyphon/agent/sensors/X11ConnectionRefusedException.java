package org.cyphon.agent.sensors;

import java.io.IOException;

/** The X server answered the connection setup with Failed or Authenticate: wrong or missing cookie. */
final class X11ConnectionRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    X11ConnectionRefusedException(String reason) {
        super(reason);
    }
}
