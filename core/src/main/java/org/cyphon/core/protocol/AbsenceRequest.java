package org.cyphon.core.protocol;

/**
 * {@code POST /machines/{name}/away}: the owner will be away until {@code until}, which is an
 * instant ({@code 2026-12-24T09:00:00Z}), a local date-time or date in the desk's time zone
 * ({@code 2026-12-24T09:00}, {@code 2026-12-24}: back at the start of that day), or a duration
 * from now ({@code 3d}, {@code 36h}).
 */
public record AbsenceRequest(String until, String reason) {}
