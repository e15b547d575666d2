package org.cyphon.coordinator.profile;

import java.time.Instant;
import java.util.regex.Pattern;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.auth.Role;
import org.cyphon.core.owner.Absence;
import org.cyphon.core.protocol.AbsenceRequest;
import org.cyphon.core.protocol.OwnerAtDesk;

/**
 * {@code cyphon away} and {@code cyphon back} ({@code POST /machines/{name}/away|back}), and an
 * admin setting whose desk a machine is ({@code POST /machines/{name}/owner}). An owner may declare
 * their own desk; an admin any. The declaration is stored before it is in force.
 */
public final class DeclareAbsence {
    static final int REASON_MAX = 500;
    /** A user name as tokens have them. */
    static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private final TrackRecord record;

    public DeclareAbsence(TrackRecord record) {
        this.record = record;
    }

    /** @throws ApiError 404 unknown machine, 403 not its owner nor an admin, 400 naming {@code until} or {@code reason} */
    public void away(String machine, AbsenceRequest request, Principal by) {
        DeskRecord d = mayDeclare(machine, by);
        if (request == null) throw ApiError.badField("body", "an object {\"until\": ..., \"reason\": ...} is required");
        Instant now = record.clock().instant();
        Instant until =
                AbsenceUntil.parse(request.until(), now, d.profile().settings().zone());
        String reason = request.reason() == null || request.reason().isBlank()
                ? null
                : request.reason().strip();
        if (reason != null && reason.length() > REASON_MAX)
            throw ApiError.badField("reason", "longer than " + REASON_MAX + " characters");
        Absence a = new Absence(now, until, Absence.Kind.DECLARED, by.name());
        record.db().transactions().write(c -> {
            ProfileTables.declare(c, machine, a, reason, now);
            return null;
        });
        d.declare(a, reason);
    }

    /** Ends the declared absence in force, if any (a detected one ends when the owner is seen). */
    public void back(String machine, Principal by) {
        DeskRecord d = mayDeclare(machine, by);
        Instant now = record.clock().instant();
        record.db().transactions().write(c -> ProfileTables.end(c, machine, now, by.name()));
        d.back();
    }

    /**
     * The owner at the desk, relayed by the desk's agent (which checked who asked by its owner
     * socket's peer credentials): declared as the desk's owner, provided the user the agent names
     * is the owner on record here. The agent vouches only for its own desk.
     *
     * @throws ApiError 403 when the desk has no owner or another one; 400 as {@link #away}
     */
    public void awayAtDesk(String machine, OwnerAtDesk request) {
        Principal owner = ownerAtDesk(machine, request);
        away(machine, new AbsenceRequest(request.until(), request.reason()), owner);
    }

    /** The owner at the desk is back, relayed by its agent (see {@link #awayAtDesk}). */
    public void backAtDesk(String machine, OwnerAtDesk request) {
        back(machine, ownerAtDesk(machine, request));
    }

    private Principal ownerAtDesk(String machine, OwnerAtDesk request) {
        if (request == null || request.user() == null || request.user().isBlank())
            throw ApiError.badField("user", "required: who asked at the desk");
        DeskRecord d = record.desk(machine);
        if (d == null) throw ApiError.notFound("no machine '" + machine + "'");
        String owner = d.owner();
        if (owner == null)
            throw new ApiError(
                    403,
                    "machine '" + machine + "' has no owner on record: an admin sets it (cyphon machine " + machine
                            + " --set-owner USER)",
                    null);
        if (!owner.equals(request.user()))
            throw new ApiError(
                    403,
                    "machine '" + machine + "' is " + owner + "'s desk, not " + abbreviate(request.user()) + "'s",
                    null);
        return new Principal(Role.USER, owner);
    }

    /** Admin: whose desk this is; null or blank: nobody's. */
    public void setOwner(String machine, String owner) {
        String o = owner == null || owner.isBlank() ? null : owner.strip();
        if (o != null && !USER.matcher(o).matches())
            throw ApiError.badField(
                    "owner", "must be a user name (letters, digits and ._@-), got '" + abbreviate(o) + "'");
        DeskRecord d = record.desk(machine);
        if (d == null) throw ApiError.notFound("no machine '" + machine + "'");
        record.db().transactions().write(c -> ProfileTables.setOwner(c, machine, o));
        d.owner(o);
    }

    private DeskRecord mayDeclare(String machine, Principal by) {
        DeskRecord d = record.desk(machine);
        if (d == null) throw ApiError.notFound("no machine '" + machine + "'");
        if (by.admin()) return d;
        String owner = d.owner();
        if (owner == null)
            throw new ApiError(
                    403,
                    "machine '" + machine + "' has no owner: only an admin may declare it (an admin can set its owner)",
                    null);
        if (!owner.equals(by.name()))
            throw new ApiError(
                    403,
                    "machine '" + machine + "' is " + owner + "'s desk: only " + owner + " or an admin may declare it",
                    null);
        return d;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
