package org.cyphon.core.protocol;

/** Who the caller's token belongs to ({@code GET /api/v1/whoami}); lets the CLI find "my" jobs. */
public record WhoAmI(String name, boolean admin) {}
