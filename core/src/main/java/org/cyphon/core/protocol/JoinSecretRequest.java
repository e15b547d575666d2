package org.cyphon.core.protocol;

/**
 * Admin call {@code POST /api/v1/admin/join-secrets}: a new enrollment secret.
 *
 * @param expires how long it may be used, as people write durations ({@code 24h}, {@code 7d}); null: 24h
 * @param uses    how many machines may join with it, each under a new name; null: 1
 */
public record JoinSecretRequest(String expires, Integer uses) {}
