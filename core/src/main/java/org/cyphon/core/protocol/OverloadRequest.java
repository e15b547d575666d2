package org.cyphon.core.protocol;

/**
 * {@code POST /api/v1/overload}: switch overload mode on.
 *
 * @param until  when it ends: an instant ({@code 2026-11-24T18:00:00Z}) or a duration from now
 *               ({@code 2h}, {@code 90m}); at most {@code OverloadLimits.MAX} ahead
 * @param reason why, shown wherever the mode is shown (required: the people at the desks see it)
 */
public record OverloadRequest(String until, String reason) {}
