package org.cyphon.core.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Weekly hours in which work may run, in local time: {@code daily 19:00-07:00, sat-sun}. Entries
 * are separated by commas; each is days ({@code mon}, {@code mon-fri}, {@code fri-mon},
 * {@code daily}) and an optional {@code HH:MM-HH:MM} (the whole day when absent). A range that
 * ends at or before it starts runs past midnight into the next day: {@code fri 19:00-07:00} ends
 * Saturday 07:00. {@code 24:00} is the end of the day.
 */
public final class WeeklyWindow {
    private record Span(Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean toEndOfDay) {}

    private static final int LOOK_AHEAD_DAYS = 8;

    private final List<Span> spans;
    private final String text;

    private WeeklyWindow(List<Span> spans, String text) {
        this.spans = spans;
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the part that is not understood */
    public static WeeklyWindow parse(String text) {
        List<Span> spans = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) continue;
            String[] parts = e.split("\\s+");
            if (parts.length > 2) throw bad(text, entry);
            Set<DayOfWeek> days;
            String hours;
            if (parts.length == 1 && parts[0].matches("\\d.*")) {
                days = EnumSet.allOf(DayOfWeek.class);
                hours = parts[0];
            } else {
                days = days(parts[0], text);
                hours = parts.length == 2 ? parts[1] : null;
            }
            if (hours == null) {
                spans.add(new Span(days, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, true));
                continue;
            }
            String[] fromTo = hours.split("-");
            if (fromTo.length != 2) throw bad(text, entry);
            LocalTime from = time(fromTo[0], text);
            boolean endOfDay = fromTo[1].equals("24:00");
            LocalTime to = endOfDay ? LocalTime.MIDNIGHT : time(fromTo[1], text);
            spans.add(new Span(days, from, to, endOfDay));
        }
        if (spans.isEmpty()) throw new IllegalArgumentException("'" + text + "' has no days or hours");
        return new WeeklyWindow(List.copyOf(spans), text.trim());
    }

    /** Is {@code instant} inside the window, seen in {@code zone}? */
    public boolean contains(Instant instant, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, zone);
        LocalDate day = t.toLocalDate();
        for (Span s : spans) {
            for (LocalDate d : List.of(day, day.minusDays(1))) {
                if (!s.days.contains(d.getDayOfWeek())) continue;
                LocalDateTime start = d.atTime(s.from);
                LocalDateTime end = end(s, d);
                if (!t.isBefore(start) && t.isBefore(end)) return true;
            }
        }
        return false;
    }

    /**
     * The next instants after {@code now} at which the window opens or closes, at most
     * {@code count} of them, within the next week; empty when it never changes.
     */
    public List<Instant> nextChanges(Instant now, ZoneId zone, int count) {
        LocalDate today = LocalDateTime.ofInstant(now, zone).toLocalDate();
        TreeSet<Instant> bounds = new TreeSet<>();
        for (int i = -1; i <= LOOK_AHEAD_DAYS; i++) {
            LocalDate d = today.plusDays(i);
            for (Span s : spans) {
                if (!s.days.contains(d.getDayOfWeek())) continue;
                bounds.add(ZonedDateTime.of(d.atTime(s.from), zone).toInstant());
                bounds.add(ZonedDateTime.of(end(s, d), zone).toInstant());
            }
        }
        List<Instant> out = new ArrayList<>();
        boolean inside = contains(now, zone);
        for (Instant b : bounds.tailSet(now, false)) {
            if (contains(b, zone) != inside) {
                out.add(b);
                inside = !inside;
                if (out.size() == count) break;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }

    private static LocalDateTime end(Span s, LocalDate d) {
        if (s.toEndOfDay || !s.to.isAfter(s.from)) return d.plusDays(1).atTime(s.to);
        return d.atTime(s.to);
    }

    private static Set<DayOfWeek> days(String spec, String text) {
        if (spec.equals("daily") || spec.equals("*")) return EnumSet.allOf(DayOfWeek.class);
        String[] range = spec.split("-");
        if (range.length == 1) return EnumSet.of(day(range[0], text));
        if (range.length != 2) throw bad(text, spec);
        DayOfWeek from = day(range[0], text);
        DayOfWeek to = day(range[1], text);
        Set<DayOfWeek> days = EnumSet.of(from);
        for (DayOfWeek d = from; d != to; d = d.plus(1)) days.add(d.plus(1));
        return days;
    }

    private static DayOfWeek day(String s, String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(s) && s.length() >= 3) return d;
        }
        throw bad(text, s);
    }

    private static LocalTime time(String s, String text) {
        try {
            return LocalTime.parse(s.length() == 4 ? "0" + s : s);
        } catch (DateTimeParseException e) {
            throw bad(text, s);
        }
    }

    private static IllegalArgumentException bad(String text, String part) {
        return new IllegalArgumentException("'" + text + "' is not a weekly window: cannot read '" + part.trim()
                + "' (examples: daily 19:00-07:00, sat-sun; mon-fri 18:00-24:00)");
    }
}
