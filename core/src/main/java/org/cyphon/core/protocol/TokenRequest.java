package org.cyphon.core.protocol;

/**
 * Admin call {@code POST /api/v1/tokens}: mint a token for user {@code name}; admin role if
 * {@code admin}; it stops working after {@code expires} ({@code 30d}, {@code 12h}; null: never).
 */
public record TokenRequest(String name, Boolean admin, String expires) {
    /** A token that never expires. */
    public TokenRequest(String name, Boolean admin) {
        this(name, admin, null);
    }
}
