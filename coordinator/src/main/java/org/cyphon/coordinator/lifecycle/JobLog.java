package org.cyphon.coordinator.lifecycle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.core.job.AttemptOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per job state change, with job, attempt and machine, written after the change is
 * committed; one line for a bulk change of many jobs alike ({@link #BULK}). Its own logger ({@code org.cyphon.coordinator.jobs}) so an installation under heavy
 * load can turn it down without losing the coordinator's other messages.
 */
public final class JobLog {
    private static final Logger log = LoggerFactory.getLogger("org.cyphon.coordinator.jobs");

    private JobLog() {}

    /**
     * Above this many events of one kind in one commit (a bulk submit, cancel, hold or release of
     * a whole queue), one line names them all: 100,000 lines would cost the coordinator a second of
     * CPU and flood the journal, which drops lines past its rate limit anyway.
     */
    static final int BULK = 100;

    /** Ranges listed in a bulk line before "and N more". */
    private static final int RANGES_SHOWN = 20;

    public static void committed(Collection<EventRow> events) {
        if (!log.isInfoEnabled()) return;
        if (events.size() <= BULK) {
            for (EventRow e : events) one(e);
            return;
        }
        Map<Kind, List<EventRow>> byKind = new LinkedHashMap<>();
        for (EventRow e : events)
            byKind.computeIfAbsent(new Kind(e.type(), e.attemptNo(), e.machine(), e.message()), k -> new ArrayList<>())
                    .add(e);
        for (var group : byKind.entrySet()) {
            List<EventRow> same = group.getValue();
            if (same.size() <= BULK) {
                for (EventRow e : same) one(e);
                continue;
            }
            Kind k = group.getKey();
            log.info(
                    "jobs {} ({} jobs) attempt {} machine {}: {}{}",
                    ranges(same),
                    same.size(),
                    dash(k.attemptNo()),
                    dash(k.machine()),
                    k.type(),
                    k.message() == null ? "" : " (" + k.message() + ")");
        }
    }

    private static void one(EventRow e) {
        if (e.message() == null) {
            log.info("job {} attempt {} machine {}: {}", e.jobId(), dash(e.attemptNo()), dash(e.machine()), e.type());
        } else {
            log.info(
                    "job {} attempt {} machine {}: {} ({})",
                    e.jobId(),
                    dash(e.attemptNo()),
                    dash(e.machine()),
                    e.type(),
                    e.message());
        }
    }

    private record Kind(String type, Integer attemptNo, String machine, String message) {}

    /** "1-100000", or "3, 5-9, 12, ... and 40 more ranges": the ids in ascending runs. */
    static String ranges(List<EventRow> events) {
        long[] ids = events.stream().mapToLong(EventRow::jobId).sorted().toArray();
        StringBuilder out = new StringBuilder();
        int shown = 0;
        int runs = 0;
        for (int i = 0; i < ids.length; ) {
            int j = i;
            while (j + 1 < ids.length && ids[j + 1] <= ids[j] + 1) j++;
            runs++;
            if (shown < RANGES_SHOWN) {
                if (shown > 0) out.append(", ");
                out.append(ids[i]);
                if (ids[j] != ids[i]) out.append('-').append(ids[j]);
                shown++;
            }
            i = j + 1;
        }
        if (runs > shown) out.append(" and ").append(runs - shown).append(" more ranges");
        return out.toString();
    }

    /** An attempt that ended without changing its job (stopped after cancel/hold, stale, lease ran out on a stopped job). */
    public static void attemptEnded(long jobId, int attemptNo, String machine, AttemptOutcome outcome, String why) {
        log.info(
                "job {} attempt {} machine {}: attempt ended {} ({})",
                jobId,
                attemptNo,
                machine,
                outcome.wireName(),
                why);
    }

    private static Object dash(Object o) {
        return o == null ? "-" : o;
    }
}
