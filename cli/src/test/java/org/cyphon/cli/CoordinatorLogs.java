package org.cyphon.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.FilterOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * An in-process coordinator logs through Logback's console appender, which writes to whatever
 * {@code System.err} is at that moment, so its lines would land in the stderr the tests capture
 * from the CLI. This pins the log output to the stream stderr is now, before any capturing, so the
 * logs still show in the test report but never in a captured {@code err}.
 */
final class CoordinatorLogs {
    private CoordinatorLogs() {}

    static void keepOutOfCapturedStreams() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<ConsoleAppender<ILoggingEvent>> consoles = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(a -> {
            if (a instanceof ConsoleAppender<ILoggingEvent> c) consoles.add(c);
        });
        if (consoles.isEmpty()) return;

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> pinned = new OutputStreamAppender<>();
        pinned.setContext(context);
        pinned.setName("pinned-stderr");
        pinned.setEncoder(encoder);
        PrintStream realErr = System.err;
        // Stopping the appender closes its stream; the process's stderr must outlive it.
        pinned.setOutputStream(new FilterOutputStream(realErr) {
            @Override
            public void close() {
                realErr.flush();
            }
        });
        pinned.start();

        consoles.forEach(root::detachAppender);
        root.addAppender(pinned);
    }
}
