package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log lines under systemd: when stderr is the journal, and what a line then looks like. */
class JournalLoggingTest {

    @Test
    void journalStreamCountsOnlyWhenStderrIsStillThatStream(@TempDir Path dir) throws Exception {
        Path journal = Files.createFile(dir.resolve("journal"));
        Path elsewhere = Files.createFile(dir.resolve("elsewhere"));
        String id = LogDestination.identity(journal);
        assertThat(id).matches("\\d+:\\d+");

        assertThat(LogDestination.journal(Map.of("JOURNAL_STREAM", id), LogDestination.identity(journal)))
                .isTrue();
        assertThat(LogDestination.journal(Map.of("JOURNAL_STREAM", id), LogDestination.identity(elsewhere)))
                .as("inherited by a program whose stderr went elsewhere")
                .isFalse();
        assertThat(LogDestination.journal(Map.of(), id)).isFalse();
        assertThat(LogDestination.journal(Map.of("CYPHON_LOG_FORMAT", "journal"), null))
                .isTrue();
        assertThat(LogDestination.journal(
                        Map.of("CYPHON_LOG_FORMAT", "plain", "JOURNAL_STREAM", id), LogDestination.identity(journal)))
                .isFalse();
    }

    @Test
    void stderrIdentityIsReadFromTheRealFileDescriptor() {
        assertThat(LogDestination.stderrIdentity()).matches("\\d+:\\d+");
    }

    @Test
    void aJournalLineHasASyslogPriorityAndNoTimestamp() {
        LoggerContext context = new LoggerContext();
        Encoder<ILoggingEvent> journal = StderrLogConfigurator.journalEncoder(context);
        Encoder<ILoggingEvent> terminal = StderrLogConfigurator.terminalEncoder(context);
        Logger logger = context.getLogger("org.cyphon.coordinator.jobs.JobLog");

        assertThat(line(journal, logger, Level.INFO, "job 7 completed"))
                .isEqualTo("<6>INFO  JobLog - job 7 completed\n");
        assertThat(line(journal, logger, Level.WARN, "w")).startsWith("<4>WARN ");
        assertThat(line(journal, logger, Level.ERROR, "e")).startsWith("<3>ERROR");
        assertThat(line(journal, logger, Level.DEBUG, "d")).startsWith("<7>DEBUG");
        assertThat(line(terminal, logger, Level.INFO, "job 7 completed"))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  JobLog - job 7 completed\n");
        context.stop();
    }

    private static String line(Encoder<ILoggingEvent> encoder, Logger logger, Level level, String message) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, null, null);
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
