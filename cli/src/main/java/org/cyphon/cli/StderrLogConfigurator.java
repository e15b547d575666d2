package org.cyphon.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Cyphon's logging, set up in code: every line to stderr (stdout stays machine-readable: submit
 * prints only job ids), level from {@code CYPHON_LOG_LEVEL} (default INFO), chatty libraries at
 * WARN. Under systemd (stderr is the journal, see {@link LogDestination}) lines carry a syslog
 * priority instead of a timestamp, so the journal shows one timestamp, not two.
 *
 * <p>Why not logback.xml: parsing XML loads logback's Joran configurator and the JDK's XML parser,
 * some 350 classes that stay loaded for the life of an agent whose whole footprint is measured
 * against an 80 MB target (bench/run agent-idle). A {@code -Dlogback.configurationFile=...} still
 * wins, for whoever wants a file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class StderrLogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
    private static final String[] QUIET = {
        "org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb", "org.freedesktop"
    };

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;

        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(LogDestination.journal() ? journalEncoder(context) : terminalEncoder(context));
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("CYPHON_LOG_LEVEL"), Level.INFO));
        root.addAppender(stderr);
        for (String name : QUIET) context.getLogger(name).setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static Encoder<ILoggingEvent> terminalEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    /** Under systemd: journald stamps each line itself, so no timestamp of ours (see {@link LogDestination}). */
    static Encoder<ILoggingEvent> journalEncoder(LoggerContext context) {
        JournalLayout layout = new JournalLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }
}
