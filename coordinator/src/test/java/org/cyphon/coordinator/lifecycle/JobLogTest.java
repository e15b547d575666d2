package org.cyphon.coordinator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.store.EventRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A line per job for ordinary changes; one line for a bulk change of many jobs alike. */
class JobLogTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level levelBefore;

    private static Logger jobs() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.cyphon.coordinator.jobs");
    }

    @BeforeEach
    void listen() {
        lines.start();
        jobs().addAppender(lines);
        levelBefore = jobs().getLevel();
        jobs().setLevel(Level.INFO); // the tests' logback-test.xml keeps org.cyphon at WARN
    }

    @AfterEach
    void stop() {
        jobs().detachAppender(lines);
        jobs().setLevel(levelBefore);
    }

    private List<String> logged() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static List<EventRow> cancelled(long from, long to) {
        List<EventRow> out = new ArrayList<>();
        for (long id = from; id <= to; id++) out.add(new EventRow(id, 0, "cancelled", null, null, "by alice"));
        return out;
    }

    @Test
    void aFewChangesAreALineEach() {
        List<EventRow> events = cancelled(1, JobLog.BULK);
        JobLog.committed(events);
        assertThat(logged()).hasSize(JobLog.BULK).first().isEqualTo("job 1 attempt - machine -: cancelled (by alice)");
    }

    @Test
    void aBulkChangeIsOneLineWithTheIdsAsRangesAndTheRestStillALineEach() {
        List<EventRow> events = cancelled(1, 100_000);
        events.removeIf(e -> e.jobId() == 500);
        events.add(new EventRow(7, 0, "held", null, null, "by bob"));
        JobLog.committed(events);
        assertThat(logged())
                .containsExactly(
                        "jobs 1-499, 501-100000 (99999 jobs) attempt - machine -: cancelled (by alice)",
                        "job 7 attempt - machine -: held (by bob)");
    }

    @Test
    void manyRangesAreCutShort() {
        List<EventRow> events = new ArrayList<>();
        for (long id = 1; id <= 2 * 500; id += 2) events.add(new EventRow(id, 0, "submitted", null, null, null));
        JobLog.committed(events);
        assertThat(logged())
                .singleElement()
                .asString()
                .startsWith("jobs 1, 3, 5, ")
                .contains(", 39 and 480 more ranges (500 jobs)")
                .endsWith(": submitted");
    }
}
