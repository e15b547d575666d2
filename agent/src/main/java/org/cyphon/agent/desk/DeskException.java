package org.cyphon.agent.desk;

/**
 * A desk operation that did not happen. The message says what and why in words an administrator
 * can act on; {@link #kind()} tells a caller (the CLI, an HTTP handler, the audit log) whether the
 * request was refused in this state, was malformed, or failed on the machine.
 */
public class DeskException extends Exception {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** Why an operation did not happen. */
    public enum Kind {
        /** Not in this state (e.g. reimage while the guest runs without force): nothing was changed. */
        REFUSED,
        /** A bad argument (e.g. a balloon size below the desk's minimum): nothing was changed. */
        INVALID,
        /** The hypervisor, the disk images or the machine failed. */
        FAILED
    }

    private final Kind kind;

    public DeskException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DeskException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static DeskException refused(String message) {
        return new DeskException(Kind.REFUSED, message);
    }

    static DeskException invalid(String message) {
        return new DeskException(Kind.INVALID, message);
    }

    static DeskException failed(String message, Throwable cause) {
        return new DeskException(Kind.FAILED, message, cause);
    }

    static DeskException failed(String message) {
        return new DeskException(Kind.FAILED, message);
    }
}
