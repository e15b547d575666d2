package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exclusive applications among the real processes of this machine, started under configured names. */
class ExclusiveAppsSensorTest {

    private static final Path PROC = Path.of("/proc");

    @TempDir
    Path dir;

    @Test
    void aRealProcessRunningUnderAConfiguredNameIsSeenUntilItExits() throws Exception {
        Path steam = program("steam");
        ExclusiveAppsSensor sensor = new ExclusiveAppsSensor(
                PROC, List.of("steam", "cyphon-test-absent"), Duration.ofSeconds(1), Clock.systemUTC());
        assertThat(sensor.sample(Instant.now()).running()).doesNotContain("steam");

        Process p = new ProcessBuilder(steam.toString(), "300").start();
        try {
            assertThat(sensor.sample(Instant.now()).running()).containsExactly("steam");
        } finally {
            p.destroy();
            p.waitFor();
        }
        assertThat(sensor.sample(Instant.now()).running()).isEmpty();
    }

    @Test
    void anArgv0SetByALauncherMatchesWhateverCaseAndSlashesItHas() throws Exception {
        // A Windows game under Wine: the kernel's name is the loader's, argv[0] the game's.
        Process p = new ProcessBuilder("bash", "-c", "exec -a 'C:\\Games\\Witcher3.exe' sleep 300").start();
        try {
            ExclusiveAppsSensor sensor =
                    new ExclusiveAppsSensor(PROC, List.of("witcher3.EXE"), Duration.ofSeconds(1), Clock.systemUTC());
            awaitRunning(sensor, "witcher3.EXE");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void aNameLongerThanTheKernelKeepsIsMatchedCutAsTheKernelCutsIt() throws Exception {
        Path zoom = program("zoom-video-conferencing-client");
        // argv[0] says something else, so only the cut comm ("zoom-video-conf") can match.
        Process p = new ProcessBuilder("bash", "-c", "exec -a launcher " + zoom + " 300").start();
        try {
            ExclusiveAppsSensor sensor = new ExclusiveAppsSensor(
                    PROC, List.of("zoom-video-conferencing-client"), Duration.ofSeconds(1), Clock.systemUTC());
            awaitRunning(sensor, "zoom-video-conferencing-client");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void withNoNamesConfiguredTheSensorDoesNotStart() {
        ExclusiveAppsSensor sensor = new ExclusiveAppsSensor(PROC, List.of(), Duration.ofSeconds(1), Clock.systemUTC());
        assertThat(sensor.start(s -> {})).isFalse();
        assertThat(sensor.status()).isEqualTo("no exclusive applications configured");
    }

    /** A copy of the real sleep under another name. */
    private Path program(String name) throws Exception {
        Path copy = dir.resolve(name);
        Files.copy(Path.of("/bin/sleep"), copy, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }

    /** bash execs the program a moment after it starts; until then the process is still "bash". */
    private static void awaitRunning(ExclusiveAppsSensor sensor, String name) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sensor.sample(Instant.now()).running().contains(name));
    }
}
