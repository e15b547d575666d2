package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * Something that happened to a desk VM without an administrator's desk action: the desk keeper
 * moved it, the VM died or shut down by itself, its owner acted at the desk. The agent sends these
 * ({@code POST /api/v1/agents/{machine}/desk-events}) and the coordinator puts each in the desk
 * audit log once, whatever the retries.
 *
 * @param origin    the agent's unique id of the event (the same event sent twice is recorded once)
 * @param at        when it happened
 * @param principal who or what asked: {@code keeper}, {@code vm}, or the owner's name
 * @param role      {@code keeper}, {@code vm} or {@code owner}
 * @param action    {@code pause}, {@code save}, {@code restore}, {@code resume}, {@code squeeze}, {@code cap},
 *                  {@code hold-ended}, {@code failed}, {@code stopped}, {@code claim}, ...
 * @param arguments what it was given ({@code 0.5} for a cap, {@code 2h} for a claim), or empty
 * @param result    {@code ok} or {@code failed}
 * @param message   why, in words
 */
public record DeskEvent(
        String origin,
        Instant at,
        String principal,
        String role,
        String action,
        String arguments,
        String result,
        String message) {}
