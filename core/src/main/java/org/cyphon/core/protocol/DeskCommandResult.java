package org.cyphon.core.protocol;

/**
 * What became of a {@link DeskCommand} ({@code POST /api/v1/agents/{machine}/desk-commands/{id}/result}).
 *
 * @param id      the command's id
 * @param outcome {@code ok}; {@code refused} (not in this state, nothing changed); {@code invalid} (a bad
 *                argument, nothing changed); {@code failed} (the hypervisor or the machine failed)
 * @param message what happened, in words an administrator can act on
 * @param vm      the desk after the command
 * @param png     for {@code screenshot}: the guest's screen as PNG, base64-encoded
 */
public record DeskCommandResult(long id, String outcome, String message, DeskVmView vm, String png) {}
