package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a custom policy's decision could change with time alone, so CEL policies get an exact
 * {@code reconsiderAt} like the presets. Between signals only clocks move: the {@code *_seconds}
 * variables, {@code hour}, {@code minute_of_day}, {@code weekday}, {@code present} and
 * {@code in_window}. An expression compares them with numbers it contains, so the candidates are
 * the instants at which each clock the expressions use reaches one of those numbers (or one
 * either side, for {@code <} versus {@code <=}); {@link NextChange} keeps the first that changes
 * the decision.
 *
 * <p>Products of two numbers are candidates too ({@code 15 * 60}); a threshold computed in other
 * ways ({@code idle_seconds > job_run_seconds / 2}) is noticed at the next signal instead (load
 * sensors report every second or so).
 */
final class CelTimeCrossings {
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_0-9.])(\\d+(?:\\.\\d+)?)(?![A-Za-z_0-9])");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");
    private static final int MAX_NUMBERS = 64;

    private final Set<String> variables;
    private final long[] numbers;

    private CelTimeCrossings(Set<String> variables, long[] numbers) {
        this.variables = variables;
        this.numbers = numbers;
    }

    /** Reads which variables and numbers the expressions use. */
    static CelTimeCrossings of(Collection<String> expressions) {
        Set<String> vars = new TreeSet<>();
        TreeSet<Long> nums = new TreeSet<>();
        boolean products = false;
        for (String e : expressions) {
            Matcher w = WORD.matcher(e);
            while (w.find()) if (CelVariables.BY_NAME.containsKey(w.group())) vars.add(w.group());
            Matcher n = NUMBER.matcher(e);
            while (n.find()) {
                double v = Double.parseDouble(n.group(1));
                nums.add((long) Math.floor(v));
                nums.add((long) Math.ceil(v));
            }
            products |= e.contains("*");
        }
        if (products) {
            List<Long> base = List.copyOf(nums);
            for (long a : base) for (long b : base) if (a > 1 && b > 1 && a * b < 10_000_000) nums.add(a * b);
        }
        long[] array =
                nums.stream().limit(MAX_NUMBERS * 4L).mapToLong(Long::longValue).toArray();
        return new CelTimeCrossings(Set.copyOf(vars), array);
    }

    boolean uses(String variable) {
        return variables.contains(variable);
    }

    /** Candidate instants after {@code x.now} for one decision ({@code attempt} null for start). */
    List<Instant> candidates(Situation x, AttemptFacts attempt) {
        List<Instant> out = new ArrayList<>();
        if (x.presence.presentUntil() != null) out.add(x.presence.presentUntil());
        if (x.settings.window() != null) out.addAll(x.settings.window().nextChanges(x.now, x.zone, 2));
        if (!x.presence.ongoing() && !x.presence.nobodySeen()) clock(out, "idle_seconds", x.presence.idleSince());
        clock(out, "input_idle_seconds", x.presence.lastInput());
        clock(out, "contending_seconds", x.contention.overSince());
        clock(out, "calm_seconds", x.contention.calmSince());
        if (attempt != null) {
            clock(out, "state_seconds", attempt.since());
            if (attempt.state() == AttemptState.FROZEN) clock(out, "frozen_seconds", attempt.since());
            if (attempt.running()) {
                clock(out, "job_run_seconds", x.now.minus(attempt.ranFor()));
                if (attempt.remaining() != null && uses("remaining_seconds")) {
                    // Counts down while running: it reads k at now + remaining - k seconds.
                    for (long n : numbers)
                        for (long k = n - 1; k <= n + 1; k++)
                            out.add(x.now.plus(attempt.remaining()).minusSeconds(k));
                }
            }
        }
        ZonedDateTime local = x.now.atZone(x.zone);
        if (uses("hour")) {
            for (long n : numbers)
                for (long k = n - 1; k <= n + 1; k++)
                    if (k >= 0 && k < 24) out.add(nextLocal(local, LocalTime.of((int) k, 0)));
        }
        if (uses("minute_of_day")) {
            for (long n : numbers) {
                for (long k = n - 1; k <= n + 1; k++)
                    if (k >= 0 && k < 1440) out.add(nextLocal(local, LocalTime.of((int) k / 60, (int) k % 60)));
            }
        }
        if (uses("weekday")) {
            LocalDate day = local.toLocalDate();
            for (int i = 1; i <= 7; i++)
                out.add(day.plusDays(i).atStartOfDay(x.zone).toInstant());
        }
        return out;
    }

    /** A clock that reads k whole seconds at origin + k seconds. */
    private void clock(List<Instant> out, String variable, Instant origin) {
        if (origin == null || !uses(variable)) return;
        for (long n : numbers)
            for (long k = n - 1; k <= n + 1; k++) if (k >= 0) out.add(origin.plus(Duration.ofSeconds(k)));
    }

    private static Instant nextLocal(ZonedDateTime now, LocalTime time) {
        ZonedDateTime t = now.toLocalDate().atTime(time).atZone(now.getZone());
        if (!t.isAfter(now)) t = now.toLocalDate().plusDays(1).atTime(time).atZone(now.getZone());
        return t.toInstant();
    }
}
