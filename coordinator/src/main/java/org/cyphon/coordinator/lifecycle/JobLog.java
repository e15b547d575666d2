package org.cyphon.coordinator.lifecycle;

import java.util.Collection;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.core.job.AttemptOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per job state change, with job, attempt and machine, written after the change is
 * committed. Its own logger ({@code org.cyphon.coordinator.jobs}) so an installation under heavy
 * load can turn it down without losing the coordinator's other messages.
 */
public final class JobLog {
    private static final Logger log = LoggerFactory.getLogger("org.cyphon.coordinator.jobs");

    private JobLog() {}

    public static void committed(Collection<EventRow> events) {
        if (!log.isInfoEnabled()) return;
        for (EventRow e : events) {
            if (e.message() == null) {
                log.info(
                        "job {} attempt {} machine {}: {}",
                        e.jobId(),
                        dash(e.attemptNo()),
                        dash(e.machine()),
                        e.type());
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
