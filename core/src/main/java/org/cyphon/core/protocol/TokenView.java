package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * A token as admins list it (never the token). {@code id}: the first 12 hex digits of its SHA-256,
 * enough to revoke this one token; {@code role}: admin, user, enroll or agent; {@code expiresAt}:
 * null when it never expires; {@code pending}: an agent credential handed out by a rotation that
 * its agent has not used yet.
 */
public record TokenView(String id, String name, String role, Instant createdAt, Instant expiresAt, boolean pending) {}
