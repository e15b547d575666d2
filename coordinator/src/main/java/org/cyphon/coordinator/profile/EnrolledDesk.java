package org.cyphon.coordinator.profile;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.core.protocol.EnrollRequest;

/**
 * The track record's part of an enrollment: the owner ({@code owner} in {@code agent.toml}) and
 * the time zone an agent names. Checked before, stored in the enrollment's own transaction.
 */
public final class EnrolledDesk {
    private EnrolledDesk() {}

    /** @throws ApiError 400 naming {@code owner} or {@code zone} */
    public static void check(EnrollRequest r) {
        if (r.owner() != null && !DeclareAbsence.USER.matcher(r.owner()).matches()) {
            throw ApiError.badField(
                    "owner",
                    "must be a user name (letters, digits and ._@-, at most 128), got '" + cut(r.owner()) + "'");
        }
        if (r.zone() != null) {
            try {
                if (r.zone().length() > 64) throw new DateTimeException("too long");
                ZoneId.of(r.zone());
            } catch (DateTimeException e) {
                throw ApiError.badField(
                        "zone", "must be a time zone id such as Europe/Berlin or UTC, got '" + cut(r.zone()) + "'");
            }
        }
    }

    /** In the enrollment's transaction: a named owner or zone replaces the stored one; none keeps it. */
    public static void store(Connection c, EnrollRequest r) throws SQLException {
        ProfileTables.enrolled(c, r.name(), r.owner(), r.zone());
    }

    /** In a forget's transaction: the name's track record goes, so a new desk under it starts afresh. */
    public static void forget(Connection c, String machine) throws SQLException {
        ProfileTables.forget(c, machine);
    }

    private static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
