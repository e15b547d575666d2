package org.cyphon.core.protocol;

/**
 * The answer to an administrator's desk action ({@code GET /api/v1/machines/{name}/desk},
 * {@code POST /api/v1/machines/{name}/desk/{action}}): the agent carried it out.
 *
 * @param auditId the action's entry in the desk audit log
 * @param machine the machine
 * @param action  the action
 * @param message what the agent said it did
 * @param vm      the desk VM after the action
 */
public record DeskActionReply(long auditId, String machine, String action, String message, DeskVmView vm) {}
