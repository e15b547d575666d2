package org.cyphon.core.policy;

/**
 * A {@code [policy]} setting or custom expression that cannot be used. The message names the key
 * and, for expressions, the line and column (1-based), so the agent can refuse to start with it:
 * {@code policy.freeze: line 2, column 16: found no matching overload for '_>_' applied to '(int, string)'}.
 */
public final class InvalidPolicyException extends IllegalArgumentException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;
    private final int line;
    private final int column;

    public InvalidPolicyException(String key, String problem) {
        this(key, problem, 0, 0);
    }

    public InvalidPolicyException(String key, String problem, int line, int column) {
        super("policy." + key + ": " + (line > 0 ? "line " + line + ", column " + column + ": " : "") + problem);
        this.key = key;
        this.problem = problem;
        this.line = line;
        this.column = column;
    }

    /** The {@code [policy]} key at fault. */
    public String key() {
        return key;
    }

    /** What is wrong, without the key or position. */
    public String problem() {
        return problem;
    }

    /** 1-based line in the expression; 0 when not about an expression. */
    public int line() {
        return line;
    }

    /** 1-based column in the expression; 0 when not about an expression. */
    public int column() {
        return column;
    }
}
