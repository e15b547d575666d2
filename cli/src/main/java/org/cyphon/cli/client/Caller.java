package org.cyphon.cli.client;

/**
 * Who the coordinator says the caller is ({@code GET /api/v1/whoami}, proposed; not yet in
 * docs/api.md). {@code cyphon wait --all} needs it to find "my" jobs.
 */
public record Caller(String name, boolean admin) {}
