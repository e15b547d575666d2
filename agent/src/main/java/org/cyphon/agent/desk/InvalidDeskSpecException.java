package org.cyphon.agent.desk;

/**
 * A {@link DeskSpec} with a wrong value. {@link #field()} is the configuration key at fault (e.g.
 * {@code memory_min}), so a config loader can say which line of which file to fix.
 */
public final class InvalidDeskSpecException extends IllegalArgumentException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    public InvalidDeskSpecException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The key at fault, as written in {@code [desk]} configuration: {@code golden_image}, {@code vcpus}, ... */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the key's name. */
    public String problem() {
        return problem;
    }
}
