package org.cyphon.coordinator.profile;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.PresenceInterval;
import org.cyphon.core.text.Durations;

/**
 * {@code GET /history} (admin; {@code cyphon history export}): the desks' presence history in the
 * format {@code cyphon simulate --owners history:FILE} reads, so an office can replay itself:
 * <pre>
 * # cyphon history v1
 * # origin 2026-11-01T00:00:00Z
 * # machine NAME cores=4 zone=Europe/Berlin
 * NAME&lt;TAB&gt;start_s&lt;TAB&gt;end_s&lt;TAB&gt;present|away|off
 * </pre>
 * Seconds count from the origin: {@code --since}, else the start of the UTC day of the oldest
 * interval kept. Each machine's stretch still open is included up to its last heartbeat, and a
 * machine silent for longer than a lease is {@code off} from then until now.
 */
public final class HistoryExport {
    public static final String HEADER = "# cyphon history v1";

    private final TrackRecord record;

    public HistoryExport(TrackRecord record) {
        this.record = record;
    }

    /**
     * @param since  null (all that is kept), an instant, a date (UTC midnight) or a duration back from now (7d)
     * @param machine null for every machine
     * @throws ApiError 400 naming {@code since}, 404 for an unknown machine
     */
    public String export(String since, String machine) {
        Instant now = record.clock().instant();
        Instant from = since == null ? null : parseSince(since.strip(), now);
        if (machine != null && record.desk(machine) == null) throw ApiError.notFound("no machine '" + machine + "'");
        List<DeskRecord> desks = new ArrayList<>();
        for (DeskRecord d : record.all()) {
            if (machine == null || d.machine.equals(machine)) desks.add(d);
        }
        desks.sort(Comparator.comparing(d -> d.machine));
        Instant floor = from != null ? from : Instant.EPOCH;
        Map<String, List<PresenceInterval>> stored = record.db().transactions().read(c -> {
            Map<String, List<PresenceInterval>> m = new java.util.HashMap<>();
            for (DeskRecord d : desks) m.put(d.machine, ProfileTables.intervals(c, d.machine, floor));
            return m;
        });
        Map<String, List<PresenceInterval>> all = new java.util.HashMap<>();
        Instant earliest = null;
        for (DeskRecord d : desks) {
            List<PresenceInterval> list = new ArrayList<>(stored.get(d.machine));
            PresenceInterval open = d.openInterval();
            if (open != null) list.add(open);
            Instant offSince =
                    d.stateAt(now, record.lease()) == OwnerState.OFF ? d.stateSinceAt(now, record.lease()) : null;
            if (offSince != null && now.isAfter(offSince))
                list.add(new PresenceInterval(offSince, now, OwnerState.OFF));
            all.put(d.machine, list);
            for (PresenceInterval i : list) if (earliest == null || i.start().isBefore(earliest)) earliest = i.start();
        }
        Instant origin = from != null
                ? from
                : earliest != null ? earliest.truncatedTo(ChronoUnit.DAYS) : now.truncatedTo(ChronoUnit.DAYS);
        StringBuilder head = new StringBuilder(HEADER)
                .append('\n')
                .append("# origin ")
                .append(origin)
                .append('\n');
        StringBuilder body = new StringBuilder();
        for (DeskRecord d : desks) {
            List<String> lines = new ArrayList<>();
            for (PresenceInterval i : all.get(d.machine)) {
                long start = seconds(origin, i.start().isBefore(origin) ? origin : i.start());
                long end = seconds(origin, i.end());
                if (end <= start) continue;
                lines.add(d.machine + "\t" + start + "\t" + end + "\t" + ProfileTables.wire(i.state()));
            }
            if (lines.isEmpty()) continue;
            long cores = Math.max(1, Math.round(d.cpuMillis() / 1000.0));
            head.append("# machine ")
                    .append(d.machine)
                    .append(" cores=")
                    .append(cores)
                    .append(" zone=")
                    .append(d.profile().settings().zone().getId())
                    .append('\n');
            for (String l : lines) body.append(l).append('\n');
        }
        return head.append(body).toString();
    }

    private static long seconds(Instant origin, Instant t) {
        return Math.floorDiv(Duration.between(origin, t).toMillis(), 1000);
    }

    private static Instant parseSince(String t, Instant now) {
        try {
            return Instant.parse(t);
        } catch (DateTimeException ignored) {
            // not an instant
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException ignored) {
            // not a date
        }
        try {
            return now.minus(Durations.parse(t));
        } catch (IllegalArgumentException e) {
            throw ApiError.badField(
                    "since",
                    "'" + (t.length() > 40 ? t.substring(0, 40) + "..." : t)
                            + "' is neither a date (2026-11-01), an instant (2026-11-01T00:00:00Z) nor a duration back from now (7d)");
        }
    }
}
