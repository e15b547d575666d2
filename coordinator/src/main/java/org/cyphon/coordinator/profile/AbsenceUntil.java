package org.cyphon.coordinator.profile;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.core.text.Durations;

/**
 * The end of a declared absence, as people write it: an instant ({@code 2026-12-24T09:00:00Z},
 * {@code 2026-12-24T09:00+01:00}), a date-time or a date in the desk's zone ({@code 2026-12-24T09:00};
 * {@code 2026-12-24} means back at the start of that day), or a duration from now ({@code 3d}).
 */
final class AbsenceUntil {
    /** Longer than any vacation: a typo (2062) should not hand a desk to the cluster for decades. */
    static final java.time.Duration MAX = java.time.Duration.ofDays(366);

    private AbsenceUntil() {}

    /** @throws ApiError 400 naming {@code until} when it is missing, unreadable, past, or too far */
    static Instant parse(String text, Instant now, ZoneId zone) {
        if (text == null || text.isBlank()) {
            throw ApiError.badField(
                    "until",
                    "required: when the owner is back, as a date (2026-12-24), a date-time (2026-12-24T09:00) or a duration (3d)");
        }
        String t = text.strip();
        Instant until = read(t, now, zone);
        if (!until.isAfter(now)) throw ApiError.badField("until", "'" + t + "' (" + until + ") is not in the future");
        if (until.isAfter(now.plus(MAX))) throw ApiError.badField("until", "'" + t + "' is more than 366 days ahead");
        return until;
    }

    private static Instant read(String t, Instant now, ZoneId zone) {
        try {
            return Instant.parse(t);
        } catch (DateTimeException ignored) {
            // not an instant in UTC
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException ignored) {
            // no offset
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeException ignored) {
            // no time
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeException ignored) {
            // not a date
        }
        try {
            return now.plus(Durations.parse(t));
        } catch (IllegalArgumentException e) {
            throw ApiError.badField(
                    "until",
                    "'" + (t.length() > 40 ? t.substring(0, 40) + "..." : t)
                            + "' is neither a date (2026-12-24), a date-time (2026-12-24T09:00, 2026-12-24T09:00:00Z) nor a duration (3d)");
        }
    }
}
