package org.cyphon.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

/**
 * A log line for journald: the syslog priority as a {@code <N>} prefix (journald reads it as the
 * entry's priority, so {@code journalctl -p warning} works) and no timestamp, since journald stamps
 * every entry itself.
 */
final class JournalLayout extends LayoutBase<ILoggingEvent> {
    static final String PATTERN = "%-5level %logger{0} - %msg%n";

    private final PatternLayout line = new PatternLayout();

    @Override
    public void start() {
        line.setContext(getContext());
        line.setPattern(PATTERN);
        line.start();
        super.start();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return "<" + priority(event.getLevel()) + ">" + line.doLayout(event);
    }

    /** syslog(3) priorities: err 3, warning 4, info 6, debug 7. */
    static int priority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) return 3;
        if (level.isGreaterOrEqual(Level.WARN)) return 4;
        if (level.isGreaterOrEqual(Level.INFO)) return 6;
        return 7;
    }
}
