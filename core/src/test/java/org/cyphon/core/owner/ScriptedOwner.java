package org.cyphon.core.owner;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Scripted owners for tests: a profile fed day by day from a fixed habit, as agents report it (in pieces). */
public final class ScriptedOwner {
    public static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    /** A Monday. */
    public static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 5);

    private ScriptedOwner() {}

    /** Present on weekdays from {@code from} to {@code to} (local hours), away otherwise; away reported in hour-long pieces. */
    public static UsageProfile weekdays(UsageProfile profile, LocalDate firstDay, int days, int from, int to) {
        UsageProfile p = profile;
        for (int i = 0; i < days; i++) {
            LocalDate day = firstDay.plusDays(i);
            boolean workday = day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
            for (int h = 0; h < 24; h++) {
                Instant a = at(day, h);
                Instant b = at(day, h + 1);
                OwnerState s = workday && h >= from && h < to ? OwnerState.PRESENT : OwnerState.AWAY;
                p = p.observe(new PresenceInterval(a, b, s));
            }
        }
        return p;
    }

    /** An office profile: {@code weeks} weeks of Monday–Friday, 9 to 17. */
    public static UsageProfile office(int weeks) {
        return weekdays(UsageProfile.empty(ProfileSettings.defaults(ZONE)), FIRST_DAY, 7 * weeks, 9, 17);
    }

    public static Instant at(LocalDate day, int hour) {
        return ZonedDateTime.of(day, LocalTime.MIDNIGHT, ZONE).plusHours(hour).toInstant();
    }

    public static Instant at(LocalDate day, int hour, int minute) {
        return at(day, hour).plus(Duration.ofMinutes(minute));
    }

    /**
     * A desk whose owner leaves for {@code away} and comes back for {@code present}, around the clock,
     * for {@code days} days from {@link #FIRST_DAY}.
     */
    public static UsageProfile breaks(Duration away, Duration present, int days) {
        UsageProfile p = UsageProfile.empty(ProfileSettings.defaults(ZONE));
        Instant t = at(FIRST_DAY, 0);
        Instant end = t.plus(Duration.ofDays(days));
        while (t.isBefore(end)) {
            p = p.observe(new PresenceInterval(t, t.plus(away), OwnerState.AWAY));
            t = t.plus(away);
            p = p.observe(new PresenceInterval(t, t.plus(present), OwnerState.PRESENT));
            t = t.plus(present);
        }
        return p;
    }
}
