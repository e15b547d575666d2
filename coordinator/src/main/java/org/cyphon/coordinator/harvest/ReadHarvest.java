package org.cyphon.coordinator.harvest;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.store.Database;

/**
 * What the pool harvested, from the coordinator's own records ({@code GET /api/v1/harvest}, the
 * dashboard's Harvest page): per UTC day, the CPU time of attempts that ran to their end, the CPU
 * time thrown away (jobs' lost CPU, on the day each job finished), and the jobs completed; and the
 * CPU time by hour of the week (UTC), each attempt's spread evenly over the hours it ran; and the
 * owner-visible events agents measured (jobs slow to yield to their desk's owner, on the day of the
 * owner's input; table {@code owner_visible_events}).
 *
 * <p>Read on demand only (the page asks once a minute): it scans the attempts and jobs that ended
 * within the window, which no index serves, to keep every write of the dispatch path index-free.
 */
public final class ReadHarvest {
    public static final int MAX_DAYS = 90;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    /** One UTC day. */
    public record Day(
            String day, double cpuHours, double lostCpuHours, long jobsCompleted, long jobsFailed, long ownerVisible) {}

    /**
     * @param byHourOfWeek 168 CPU-hour totals, hour 0 = Monday 00:00-01:00 UTC
     * @param ownerVisible  owner-visible events over the days (should be 0)
     * @param yieldBoundMillis the yield bound an owner-visible event exceeded
     */
    public record Harvest(
            int days,
            List<Day> byDay,
            List<Double> byHourOfWeek,
            double cpuHours,
            double lostCpuHours,
            long ownerVisible,
            long yieldBoundMillis) {}

    private final Database db;
    private final Clock clock;

    public ReadHarvest(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Harvest read(int days) {
        long now = clock.millis();
        LocalDate today = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(days - 1L);
        long since = first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        double[] cpu = new double[days];
        double[] lost = new double[days];
        long[] completed = new long[days];
        long[] failed = new long[days];
        long[] visible = new long[days];
        double[] week = new double[168];
        db.transactions().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT started_at, ended_at, cpu_seconds FROM attempts WHERE ended_at >= ? AND cpu_seconds IS NOT NULL")) {
                ps.setLong(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long start = rs.getLong(1);
                        long end = rs.getLong(2);
                        double seconds = rs.getDouble(3);
                        cpu[index(end, since, days)] += seconds / 3600;
                        spread(week, Math.max(start, end - 7 * DAY), end, seconds / 3600);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT finished_at, state, lost_cpu_seconds FROM jobs WHERE finished_at >= ?")) {
                ps.setLong(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int i = index(rs.getLong(1), since, days);
                        String state = rs.getString(2);
                        if ("COMPLETED".equals(state)) completed[i]++;
                        else if ("FAILED".equals(state)) failed[i]++;
                        lost[i] += rs.getDouble(3) / 3600;
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT input_at FROM owner_visible_events WHERE input_at >= ?")) {
                ps.setLong(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) visible[index(rs.getLong(1), since, days)]++;
                }
            }
            return null;
        });
        List<Day> byDay = new ArrayList<>();
        double totalCpu = 0;
        double totalLost = 0;
        long totalVisible = 0;
        for (int i = 0; i < days; i++) {
            byDay.add(new Day(first.plusDays(i).toString(), cpu[i], lost[i], completed[i], failed[i], visible[i]));
            totalCpu += cpu[i];
            totalLost += lost[i];
            totalVisible += visible[i];
        }
        List<Double> byHour = new ArrayList<>();
        for (double h : week) byHour.add(h);
        return new Harvest(
                days,
                byDay,
                byHour,
                totalCpu,
                totalLost,
                totalVisible,
                org.cyphon.core.protocol.OwnerVisibleEvent.BOUND.toMillis());
    }

    private static int index(long at, long since, int days) {
        return (int) Math.max(0, Math.min(days - 1, (at - since) / DAY));
    }

    /** Adds {@code total} over the hours of the week from {@code start} to {@code end}, evenly in time. */
    private static void spread(double[] week, long start, long end, double total) {
        if (end <= start) {
            week[hourOfWeek(end)] += total;
            return;
        }
        double perMilli = total / (end - start);
        long t = start;
        while (t < end) {
            long next = Math.min(end, (t / HOUR + 1) * HOUR);
            week[hourOfWeek(t)] += perMilli * (next - t);
            t = next;
        }
    }

    private static int hourOfWeek(long at) {
        ZonedDateTime z = Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC);
        return (z.getDayOfWeek().getValue() - 1) * 24 + z.getHour();
    }
}
