package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A join secret as admins list it (never the secret). {@code state} is {@code usable},
 * {@code used up}, {@code expired} or {@code revoked}; {@code machines} joined with it, oldest first.
 */
public record JoinSecretView(
        String name,
        String state,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        int uses,
        int usesLeft,
        Instant revokedAt,
        List<String> machines) {}
