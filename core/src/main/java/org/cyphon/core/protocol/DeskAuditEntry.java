package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * One desk action in the coordinator's audit log: who asked, when, for which machine, what, and
 * what came of it.
 *
 * @param id         increasing
 * @param at         when it was asked
 * @param principal  the name behind the caller's token ({@code admin}, or the name a token was minted for);
 *                   for what no token asked: {@code keeper} (the agent's desk keeper), {@code vm} (the VM
 *                   itself: it died or shut down), or the owner's name (an owner's action at the desk)
 * @param role       {@code admin}, {@code user} (a user's action is recorded, and refused, unless it is the
 *                   owner's own), {@code keeper}, {@code vm} or {@code owner}
 * @param machine    the machine named in the request
 * @param action     {@code status}, {@code start}, {@code stop}, {@code pause}, {@code resume}, {@code save},
 *                   {@code restore}, {@code reimage}, {@code screenshot}, {@code poweroff}
 * @param arguments  {@code --force}, {@code --undo}, or empty
 * @param result     {@code pending} (the agent is at it), {@code ok}, {@code refused} (not allowed, not in
 *                   this state or a bad argument: nothing changed), {@code failed}, or {@code unknown} (no
 *                   answer came: the action may or may not have happened)
 * @param message    why, in words; null while pending
 * @param finishedAt when the result was recorded, or null while pending
 */
public record DeskAuditEntry(
        long id,
        Instant at,
        String principal,
        String role,
        String machine,
        String action,
        String arguments,
        String result,
        String message,
        Instant finishedAt) {}
