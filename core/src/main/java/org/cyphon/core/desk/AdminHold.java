package org.cyphon.core.desk;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * An administrator's desk action holding the VM where it left it, against the keeper's plan, until
 * the administrator releases it ({@code cyphon desk MACHINE release}) or until a stated time
 * ({@code --for 2h}). See {@link DeskRule} for who wins.
 *
 * @param state  where the action left the VM: running (start, resume, restore), paused or saved
 * @param by     who asked (the token's name)
 * @param action the action that set it ({@code resume})
 * @param since  when
 * @param until  when it ends by itself; null: when an administrator releases it
 */
public record AdminHold(VmTarget state, String by, String action, Instant since, Instant until) {
    public AdminHold {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(since, "since");
        if (until != null && !until.isAfter(since))
            throw new IllegalArgumentException("a hold must end after it begins");
    }

    /**
     * What an administrator's desk action holds, once it has succeeded: start, resume and restore
     * hold the VM running, pause paused, save saved. The others hold nothing: stop and poweroff
     * leave a stopped VM, which the keeper never starts anyway; reimage, release, status and
     * screenshot do not move the VM.
     *
     * @return the state held, or null
     */
    public static VmTarget heldBy(String action) {
        return switch (action) {
            case "start", "resume", "restore" -> VmTarget.RUNNING;
            case "pause" -> VmTarget.PAUSED;
            case "save" -> VmTarget.SAVED;
            default -> null;
        };
    }

    /** The hold has ended by itself at {@code now}. */
    public boolean lapsedAt(Instant now) {
        return until != null && !now.isBefore(until);
    }

    /** "held running by admin (resume) until 2026-11-24T15:00:00Z" or "... until released". */
    public String describe() {
        return "held " + state.name().toLowerCase(Locale.ROOT) + " by " + by + " (" + action + ") "
                + (until == null ? "until released" : "until " + until);
    }
}
