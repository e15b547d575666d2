package org.cyphon.sim.owners;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.sim.InputError;

/**
 * Reads {@code intervals:FILE} and {@code history:FILE} owner traces.
 *
 * <p>Cyphon's own format, one interval a line: {@code machine<TAB>start_s<TAB>end_s<TAB>state},
 * state {@code present}, {@code away} or {@code off}, times in seconds from the origin. Comment
 * lines start with {@code #}; two of them carry data: {@code # origin 2026-11-01T00:00:00Z} (what
 * time 0 is; default: the {@code --origin} given) and {@code # machine NAME cores=4 zone=Europe/Berlin}.
 * A {@code history:} file must begin with {@code # cyphon history v1} (what {@code cyphon history
 * export} writes); otherwise both read the same.
 *
 * <p>The Failure Trace Archive's {@code event_trace} tab format is accepted too: a line of 8 or 9
 * tab-separated fields {@code event_id component_id node_id platform_id node_name event_type
 * event_start_time event_stop_time [event_end_reason]}, times in Unix seconds, event_type 1 for an
 * available period (read as {@code away}: the desk is free for guest work) and 0 for an
 * unavailable one (read as {@code present}: the FTA does not separate a busy owner from a machine
 * that is down, so both count as the owner's). The origin is then midnight UTC of the day of the
 * earliest event.
 */
public final class IntervalsReader {
    public static final String HISTORY_HEADER = "# cyphon history v1";

    private IntervalsReader() {}

    public static OwnerTrace read(Path file, Instant defaultOrigin, boolean history) {
        String name = file.toString();
        Map<String, DeskTraceBuilder> desks = new TreeMap<>();
        Instant origin = null;
        boolean fta = false;
        record FtaLine(String node, long start, long end, OwnerState state, String where) {}
        List<FtaLine> ftaLines = new ArrayList<>();
        long minFtaStart = Long.MAX_VALUE;
        long lineNo = 0;
        try (BufferedReader r = TextLines.open(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && history && !line.trim().equals(HISTORY_HEADER)) {
                    throw InputError.at(
                            name, 1, "not a cyphon history file: the first line must be '" + HISTORY_HEADER + "'");
                }
                String t = line.trim();
                if (t.isEmpty()) continue;
                if (t.startsWith("#")) {
                    String c = t.substring(1).trim();
                    if (c.startsWith("origin ")) {
                        try {
                            origin = Instant.parse(c.substring(7).trim());
                        } catch (DateTimeException e) {
                            throw InputError.at(
                                    name,
                                    lineNo,
                                    "origin '" + c.substring(7).trim()
                                            + "' is not an instant like 2026-11-01T00:00:00Z");
                        }
                    } else if (c.startsWith("machine ")) {
                        machineLine(c.substring(8).trim(), desks, name, lineNo);
                    }
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length == 4 && !fta) {
                    String machine = f[0].trim();
                    if (machine.isEmpty()) throw InputError.at(name, lineNo, "empty machine name");
                    long start = seconds(f[1], "start_s", name, lineNo);
                    long end = seconds(f[2], "end_s", name, lineNo);
                    if (end < start)
                        throw InputError.at(name, lineNo, "end_s " + f[2].trim() + " is before start_s " + f[1].trim());
                    OwnerState state = state(f[3], name, lineNo);
                    desks.computeIfAbsent(machine, DeskTraceBuilder::new)
                            .add(start, end, state, Float.NaN, name + ":" + lineNo);
                } else if ((f.length == 8 || f.length == 9) && (fta || desks.isEmpty())) {
                    fta = true;
                    String node = f[4].trim().isEmpty() ? f[2].trim() : f[4].trim();
                    long start = seconds(f[6], "event_start_time", name, lineNo);
                    long end = seconds(f[7], "event_stop_time", name, lineNo);
                    if (end < start) throw InputError.at(name, lineNo, "event_stop_time is before event_start_time");
                    OwnerState state = switch (f[5].trim()) {
                        case "1" -> OwnerState.AWAY;
                        case "0" -> OwnerState.PRESENT;
                        default ->
                            throw InputError.at(
                                    name,
                                    lineNo,
                                    "event_type '" + f[5].trim() + "' is neither 1 (available) nor 0 (unavailable)");
                    };
                    ftaLines.add(new FtaLine(node, start, end, state, name + ":" + lineNo));
                    minFtaStart = Math.min(minFtaStart, start);
                } else {
                    throw InputError.at(
                            name,
                            lineNo,
                            "expected machine<TAB>start_s<TAB>end_s<TAB>state (4 tab-separated fields)"
                                    + " or a Failure Trace Archive event_trace line (8-9 fields); found " + f.length
                                    + " field(s)");
                }
            }
        } catch (IOException e) {
            throw TextLines.readFailed(file, e);
        }
        if (fta) {
            long day0 = Math.floorDiv(minFtaStart, 86_400_000L) * 86_400_000L;
            origin = Instant.ofEpochMilli(day0);
            for (FtaLine l : ftaLines) {
                desks.computeIfAbsent(l.node, DeskTraceBuilder::new)
                        .add(l.start - day0, l.end - day0, l.state, Float.NaN, l.where);
            }
        }
        List<DeskTrace> out = new ArrayList<>();
        long horizon = 0;
        for (DeskTraceBuilder b : desks.values()) {
            if (b.isEmpty()) continue;
            DeskTrace d = b.build(ZoneOffset.UTC);
            out.add(d);
            horizon = Math.max(horizon, d.lastEndMs());
        }
        if (out.isEmpty()) throw new InputError(name + ": no intervals in the file");
        String kind = history ? "history" : fta ? "intervals (Failure Trace Archive format)" : "intervals";
        return new OwnerTrace(origin != null ? origin : defaultOrigin, horizon, out, kind + ":" + name, null);
    }

    private static void machineLine(String rest, Map<String, DeskTraceBuilder> desks, String file, long lineNo) {
        String[] parts = rest.split("\\s+");
        DeskTraceBuilder b = desks.computeIfAbsent(parts[0], DeskTraceBuilder::new);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("cores=")) {
                try {
                    int c = Integer.parseInt(p.substring(6));
                    if (c <= 0) throw new NumberFormatException();
                    b.cores(c);
                } catch (NumberFormatException e) {
                    throw InputError.at(file, lineNo, "cores '" + p.substring(6) + "' is not a positive whole number");
                }
            } else if (p.startsWith("zone=")) {
                try {
                    b.zone(ZoneId.of(p.substring(5)));
                } catch (DateTimeException e) {
                    throw InputError.at(
                            file, lineNo, "zone '" + p.substring(5) + "' is not a time zone (example: Europe/Berlin)");
                }
            }
        }
    }

    /** Seconds (a decimal point is allowed) as milliseconds. */
    static long seconds(String text, String what, String file, long lineNo) {
        String t = text.trim();
        try {
            double v = Double.parseDouble(t);
            if (Double.isNaN(v) || Double.isInfinite(v)) throw new NumberFormatException();
            return Math.round(v * 1000);
        } catch (NumberFormatException e) {
            throw InputError.at(file, lineNo, what + " '" + t + "' is not a number of seconds");
        }
    }

    static OwnerState state(String text, String file, long lineNo) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "present" -> OwnerState.PRESENT;
            case "away" -> OwnerState.AWAY;
            case "off" -> OwnerState.OFF;
            default -> throw InputError.at(file, lineNo, "state '" + text.trim() + "' is not present, away or off");
        };
    }
}
