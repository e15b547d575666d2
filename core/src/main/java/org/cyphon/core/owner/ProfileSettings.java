package org.cyphon.core.owner;

import java.time.Duration;
import java.time.ZoneId;

/**
 * How a desk's track record learns.
 *
 * @param zone          the desk's time zone: hours of the week are local hours
 * @param halfLife      how fast old behaviour is forgotten: evidence this old weighs half
 * @param absenceAfter  an absence longer than this, and longer than anything usual for that time of
 *                      the week, is taken as a vacation
 */
public record ProfileSettings(ZoneId zone, Duration halfLife, Duration absenceAfter) {
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(28);
    public static final Duration DEFAULT_ABSENCE_AFTER = Duration.ofHours(36);

    public static ProfileSettings defaults(ZoneId zone) {
        return new ProfileSettings(zone, DEFAULT_HALF_LIFE, DEFAULT_ABSENCE_AFTER);
    }
}
