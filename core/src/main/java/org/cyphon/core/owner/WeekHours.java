package org.cyphon.core.owner;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Local hours of the week for one time zone, computed from epoch seconds without building a
 * {@code ZonedDateTime} per hour: the profile walks every hour of intervals that may span weeks,
 * about a hundred thousand times per simulated month, so this is on the hot path.
 *
 * <p>Hour of week 0 is Monday 00:00–01:00 local time. 1970-01-01 was a Thursday, so local hour
 * {@code n} since the epoch is hour of week {@code (n + 72) mod 168}.
 */
final class WeekHours {
    static final int HOURS_PER_WEEK = 168;
    private static final int THURSDAY_HOURS = 3 * 24;

    private final ZoneRules rules;

    WeekHours(ZoneId zone) {
        this.rules = zone.getRules();
    }

    int hourOfWeek(long epochSecond) {
        int offset = offsetAt(epochSecond);
        return Math.floorMod(Math.floorDiv(epochSecond + offset, 3600) + THURSDAY_HOURS, HOURS_PER_WEEK);
    }

    /** Local seconds since Monday 00:00 of the week {@code epochSecond} falls in. */
    long secondOfWeek(long epochSecond) {
        return Math.floorMod(epochSecond + offsetAt(epochSecond) + THURSDAY_HOURS * 3600L, HOURS_PER_WEEK * 3600L);
    }

    private int offsetAt(long epochSecond) {
        return rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    }

    /** Receives each stretch of one local hour of the week. */
    interface HourVisitor {
        void visit(int hourOfWeek, long from, long to);
    }

    /** Cuts {@code [from, to)} at local hour boundaries (and offset changes) and visits each piece in order. */
    void walk(long from, long to, HourVisitor visitor) {
        long t = from;
        while (t < to) {
            int offset = offsetAt(t);
            long nextChange = Long.MAX_VALUE;
            if (!rules.isFixedOffset()) {
                ZoneOffsetTransition tr = rules.nextTransition(Instant.ofEpochSecond(t));
                if (tr != null) nextChange = tr.toEpochSecond();
            }
            // Within one offset, hours are uniform: walk them without asking the rules again.
            while (t < to && t < nextChange) {
                long localHour = Math.floorDiv(t + offset, 3600);
                long end = Math.min(Math.min((localHour + 1) * 3600 - offset, to), nextChange);
                visitor.visit(Math.floorMod(localHour + THURSDAY_HOURS, HOURS_PER_WEEK), t, end);
                t = end;
            }
        }
    }
}
