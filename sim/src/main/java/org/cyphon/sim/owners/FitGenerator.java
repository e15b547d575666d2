package org.cyphon.sim.owners;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cyphon.core.owner.OwnerState;

/**
 * {@code fit:NAME}: owner traces drawn from a fitted pair of distributions, alternating available
 * periods (the owner away) and unavailable ones (the owner present), each desk with its own
 * {@link SplittableRandom} split in desk order from {@code --seed}, so a seed always gives the same
 * pool. Without office hours each desk starts in a random phase (present with the long-run share of
 * unavailable time) and alternates to the horizon.
 *
 * <p>With {@code --office-hours} (times in UTC): nobody is present outside Monday-Friday
 * 08:00-18:00; each working day the owner arrives at 08:00 plus a uniform 0-60 min delay, then
 * present (unavailable) and away (available) periods alternate as drawn until 18:00, where a
 * present period is cut; nights and weekends are away. Desks are never off in a generated pool.
 */
public final class FitGenerator {
    static final long HOUR_MS = 3_600_000L;
    static final int OPEN_HOUR = 8;
    static final int CLOSE_HOUR = 18;

    private FitGenerator() {}

    public static OwnerTrace generate(
            FtaFits.Fit fit, int machines, int days, long seed, boolean officeHours, Instant origin) {
        long horizon = days * 24L * HOUR_MS;
        SplittableRandom root = new SplittableRandom(seed);
        List<DeskTrace> desks = new ArrayList<>(machines);
        int digits = Math.max(4, String.valueOf(machines).length());
        for (int m = 0; m < machines; m++) {
            SplittableRandom r = root.split();
            DeskTraceBuilder b = new DeskTraceBuilder(String.format("desk%0" + digits + "d", m + 1));
            if (officeHours) officeDays(fit, r, b, horizon, origin);
            else alternate(fit, r, b, 0, horizon, null);
            desks.add(b.build(ZoneOffset.UTC));
        }
        String src = "fit:" + fit.dataset() + " (" + fit.description() + "; available " + fit.available()
                + ", unavailable " + fit.unavailable() + (officeHours ? "; office hours Mon-Fri 08:00-18:00 UTC" : "")
                + "; seed " + seed + ")";
        return new OwnerTrace(origin, horizon, desks, src, null);
    }

    /** Alternating periods over [from, to); starts present when {@code startPresent}, or by the long-run share when null. */
    private static void alternate(
            FtaFits.Fit fit, SplittableRandom r, DeskTraceBuilder b, long from, long to, Boolean startPresent) {
        boolean present;
        if (startPresent != null) {
            present = startPresent;
        } else {
            double u = fit.unavailable().meanHours();
            present = r.nextDouble() < u / (u + fit.available().meanHours());
        }
        long t = from;
        while (t < to) {
            PeriodDistribution d = present ? fit.unavailable() : fit.available();
            long len = Math.max(1000, Math.round(d.sampleHours(r) * HOUR_MS));
            long end = Math.min(to, t + len);
            b.add(t, end, present ? OwnerState.PRESENT : OwnerState.AWAY, Float.NaN, "");
            t = end;
            present = !present;
        }
    }

    private static void officeDays(
            FtaFits.Fit fit, SplittableRandom r, DeskTraceBuilder b, long horizon, Instant origin) {
        long t = 0;
        ZonedDateTime day = origin.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC);
        while (t < horizon) {
            long dayStart = day.toInstant().toEpochMilli() - origin.toEpochMilli();
            long dayEnd = dayStart + 24 * HOUR_MS;
            boolean workday = day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
            if (workday) {
                long close = dayStart + CLOSE_HOUR * HOUR_MS;
                long open = Math.max(t, dayStart + OPEN_HOUR * HOUR_MS + (long) (r.nextDouble() * HOUR_MS));
                add(b, t, Math.min(open, horizon), OwnerState.AWAY);
                if (open < Math.min(close, horizon)) alternate(fit, r, b, open, Math.min(close, horizon), true);
                t = Math.max(t, Math.min(close, horizon));
            }
            add(b, t, Math.min(dayEnd, horizon), OwnerState.AWAY);
            t = Math.min(dayEnd, horizon);
            day = day.plusDays(1);
        }
    }

    private static void add(DeskTraceBuilder b, long from, long to, OwnerState s) {
        if (to > from) b.add(from, to, s, Float.NaN, "");
    }
}
