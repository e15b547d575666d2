package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QMP client against a real QEMU (an empty machine, stopped: no guest needed to talk QMP). */
class QmpConnectionTest {
    @TempDir
    Path dir;

    Process qemu;
    Path socket;

    @BeforeEach
    void startQemu() throws Exception {
        socket = dir.resolve("qmp.sock");
        qemu = new ProcessBuilder(List.of(
                        TestGuest.host("cyphon-desk").qemuSystem().toString(),
                        "-machine",
                        "none",
                        "-S",
                        "-nodefaults",
                        "-display",
                        "none",
                        "-qmp",
                        "unix:" + socket + ",server=on,wait=off"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
    }

    @AfterEach
    void stopQemu() throws Exception {
        qemu.destroyForcibly().waitFor();
    }

    @Test
    void commandsAnswerAndEventsArrive() throws Exception {
        try (QmpConnection qmp = QmpConnection.open(socket, Duration.ofSeconds(10))) {
            assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("prelaunch");

            long mark = qmp.eventMark();
            qmp.execute("cont");
            assertThat(qmp.awaitEvent("RESUME", mark, Duration.ofSeconds(5))).isPresent();
            assertThat(qmp.execute("query-status").path("running").asBoolean()).isTrue();
            assertThat(qmp.awaitEvent("STOP", mark, Duration.ofMillis(200)))
                    .as("no such event happened")
                    .isEmpty();
        }
    }

    @Test
    void anErrorCarriesQemusClassAndDescription() throws Exception {
        try (QmpConnection qmp = QmpConnection.open(socket, Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> qmp.execute("no-such-command"))
                    .isInstanceOf(QmpException.class)
                    .hasMessageContaining("no-such-command")
                    .satisfies(e -> assertThat(((QmpException) e).errorClass()).isEqualTo("CommandNotFound"));
            assertThatThrownBy(() -> qmp.execute("balloon", Map.of("value", 1 << 20)))
                    .isInstanceOf(QmpException.class)
                    .hasMessageContaining("balloon");
        }
    }

    @Test
    void aQuitQemuClosesTheConnectionAndLaterCommandsSaySo() throws Exception {
        try (QmpConnection qmp = QmpConnection.open(socket, Duration.ofSeconds(10))) {
            qmp.execute("quit");
            await().atMost(Duration.ofSeconds(5)).until(() -> !qmp.isOpen());
            assertThatThrownBy(() -> qmp.execute("query-status"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("QEMU closed the QMP connection");
        }
    }

    @Test
    void aSecondClientIsToldTheSocketIsBusy() throws Exception {
        try (QmpConnection first = QmpConnection.open(socket, Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> QmpConnection.open(socket, Duration.ofMillis(500)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("another client connected?");
            assertThat(first.execute("query-status").path("status").asText()).isEqualTo("prelaunch");
        }
    }

    @Test
    void noQemuMeansAClearError() {
        Path nowhere = dir.resolve("none.sock");
        assertThatThrownBy(() -> QmpConnection.open(nowhere, Duration.ofMillis(200)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot connect to QMP socket " + nowhere);
        assertThat(Files.exists(nowhere)).isFalse();
    }
}
