package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Cyphon's logging setup in code, as logback finds and runs it. */
class StderrLogConfiguratorTest {

    @Test
    void logbackFindsTheConfiguratorAndItSendsEverythingToStderrWithChattyLibrariesAtWarn() {
        assertThat(ServiceLoader.load(Configurator.class).stream()
                        .map(p -> p.type().getName())
                        .toList())
                .as("registered for logback's ServiceLoader lookup")
                .contains(StderrLogConfigurator.class.getName());

        LoggerContext context = new LoggerContext();
        StderrLogConfigurator configurator = new StderrLogConfigurator();
        configurator.setContext(context);
        Configurator.ExecutionStatus status = configurator.configure(context);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(status).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(root.getAppender("STDERR")).isInstanceOf(ConsoleAppender.class);
        assertThat(((ConsoleAppender<?>) root.getAppender("STDERR")).getTarget())
                .isEqualTo("System.err");
        String wanted = System.getenv("CYPHON_LOG_LEVEL");
        assertThat(root.getLevel()).isEqualTo(Level.toLevel(wanted, Level.INFO));
        assertThat(context.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        context.stop();
    }
}
