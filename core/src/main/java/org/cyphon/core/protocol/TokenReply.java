package org.cyphon.core.protocol;

import java.time.Instant;

/** A new token, shown once. {@code id}: as in {@link TokenView}; {@code expiresAt}: null when never. */
public record TokenReply(String name, String token, boolean admin, String id, Instant expiresAt) {
    public TokenReply(String name, String token, boolean admin) {
        this(name, token, admin, null, null);
    }

    @Override
    public String toString() {
        return "TokenReply[name=" + name + ", token=<hidden>, admin=" + admin + ", id=" + id + "]";
    }
}
