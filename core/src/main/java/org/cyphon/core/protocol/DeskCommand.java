package org.cyphon.core.protocol;

/**
 * One administrator's desk action for an agent to carry out on its desk VM, fetched by the agent's
 * long poll ({@code GET /api/v1/agents/{machine}/desk-commands}) and answered with a
 * {@link DeskCommandResult} carrying the same {@code id}.
 *
 * @param id          the action's entry in the coordinator's desk audit log
 * @param action      {@code status}, {@code start}, {@code stop}, {@code pause}, {@code resume}, {@code save},
 *                    {@code restore}, {@code reimage}, {@code screenshot}, {@code poweroff}, {@code release}
 * @param force       reimage: power the guest off and discard a saved state if need be
 * @param undo        reimage: bring back the overlay the last reimage replaced instead
 * @param waitSeconds how long the administrator waits for the answer; {@code stop} gives the guest
 *                    somewhat less than this to shut down before powering it off
 * @param holdSeconds start, resume, restore, pause, save: how long the VM is held where the action
 *                    leaves it, against the desk keeper's plan ({@code --for}); null: until an
 *                    administrator releases it
 * @param who         who asked, for the hold ({@code admin}, or the name a token was minted for)
 * @param discardSavedState poweroff: a saved desk's saved state may be thrown away (else refused)
 */
public record DeskCommand(
        long id,
        String action,
        boolean force,
        boolean undo,
        int waitSeconds,
        Long holdSeconds,
        String who,
        boolean discardSavedState) {

    /** A command without a hold's length, a name or a discard (what coordinators before them sent). */
    public DeskCommand(long id, String action, boolean force, boolean undo, int waitSeconds) {
        this(id, action, force, undo, waitSeconds, null, null, false);
    }
}
