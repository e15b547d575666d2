package org.cyphon.core.protocol;

/**
 * An owner's {@code cyphon away} or {@code cyphon back} given at the desk, without a token, and
 * relayed by the desk's agent ({@code POST /api/v1/agents/{machine}/owner/away|back}): the agent
 * checked who asked by its local socket's peer credentials, and the coordinator checks that this
 * is the desk's owner.
 *
 * @param user   the owner's user name, as the agent found it
 * @param until  away: when they are back (as {@link AbsenceRequest#until()}); null for back
 * @param reason away: why, or null
 */
public record OwnerAtDesk(String user, String until, String reason) {}
