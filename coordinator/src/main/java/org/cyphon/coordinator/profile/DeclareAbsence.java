package org.cyphon.coordinator.profile;

import java.time.Instant;
import java.util.regex.Pattern;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.core.owner.Absence;
import org.cyphon.core.protocol.AbsenceRequest;

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
