package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cyphon up} refuses settings it cannot honour before it starts anything. */
class UpCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aDeskVmBelongsToOneMachineSoUpRefusesSeveralAgentsWithOne() throws Exception {
        Path config = tmp.resolve("agent.toml");
        Files.writeString(config, """
                [desk]
                golden_image = "/srv/golden.qcow2"
                user_data = "/srv/alice.img"
                """);
        Path data = tmp.resolve("data");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(new String[] {
                "up", "--config", config.toString(), "--agents", "2", "--data", data.toString(), "--port", "0"
            });
        } finally {
            System.setErr(oldErr);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("[desk]").contains("--agents 1");
        assertThat(data).as("nothing started, nothing written").doesNotExist();
    }
}
