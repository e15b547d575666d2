package org.cyphon.sim;

/**
 * Bad simulator input: a trace line that cannot be read, an unknown source, an impossible option.
 * The message names the file and line (or the option) and what is wrong, so the CLI prints it as is.
 */
public final class InputError extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public InputError(String message) {
        super(message);
    }

    public InputError(String message, Throwable cause) {
        super(message, cause);
    }

    /** "FILE:LINE: what" */
    public static InputError at(String file, long line, String what) {
        return new InputError(file + ":" + line + ": " + what);
    }
}
