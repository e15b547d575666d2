package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.cyphon.core.owner.GpuSeen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU use from nvidia-smi. This machine has no GPU and no nvidia-smi; the parser gets the lines
 * nvidia-smi prints for this query, and a stand-in script prints them through the real process
 * code. Where nvidia-smi exists, the real one is run too.
 */
class GpuSensorTest {

    @TempDir
    Path dir;

    @Test
    void theParserTakesTheBusiestGpuAndSkipsGpusThatReportNothing() {
        assertThat(NvidiaSmiOutput.busiest("37\n").getAsDouble()).isCloseTo(0.37, within(1e-9));
        assertThat(NvidiaSmiOutput.busiest("0\n100\n").getAsDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(NvidiaSmiOutput.busiest("[N/A]\n12\n").getAsDouble()).isCloseTo(0.12, within(1e-9));
        assertThat(NvidiaSmiOutput.busiest("[Not Supported]\n")).isEmpty();
        assertThat(NvidiaSmiOutput.busiest("")).isEmpty();
    }

    @Test
    void aStandInNvidiaSmiScriptPrintingRealOutputIsRunAndParsed() throws Exception {
        // Answers only the exact query the sensor must ask, like the real one does.
        Path smi = script("nvidia-smi", """
                #!/bin/sh
                [ "$1 $2" = "--query-gpu=utilization.gpu --format=csv,noheader,nounits" ] || { echo "bad args: $*"; exit 2; }
                printf '3\\n41\\n'
                """);
        GpuSensor sensor = new GpuSensor(smi, Duration.ofSeconds(1), Clock.systemUTC());

        Optional<GpuSeen> seen = sensor.sample(Instant.now());

        assertThat(seen).get().extracting(GpuSeen::source).isEqualTo("nvidia-smi");
        assertThat(seen.get().busyFraction()).isCloseTo(0.41, within(1e-9));
        assertThat(sensor.status()).isEqualTo("ok");
    }

    @Test
    void aFailingNvidiaSmiGivesNoFigureAndItsMessageShowsInTheStatus() throws Exception {
        Path smi = script("nvidia-smi", """
                #!/bin/sh
                echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
                exit 9
                """);
        GpuSensor sensor = new GpuSensor(smi, Duration.ofSeconds(1), Clock.systemUTC());

        assertThat(sensor.sample(Instant.now())).isEmpty();
        assertThat(sensor.status()).startsWith("nvidia-smi failed (exit 9): NVIDIA-SMI has failed");
    }

    @Test
    void withoutNvidiaSmiTheSensorDoesNotStartAndSaysSo() {
        GpuSensor sensor = new GpuSensor((Path) null, Duration.ofSeconds(1), Clock.systemUTC());
        assertThat(sensor.start(s -> {})).isFalse();
        assertThat(sensor.status()).isEqualTo("no nvidia-smi");
        assertThat(GpuSensor.locate(dir.toString()))
                .as("an empty PATH dir adds nothing")
                .isEqualTo(GpuSensor.locate(""));
    }

    @Test
    void theRealNvidiaSmiWhereThisMachineHasOne() {
        Optional<Path> real = GpuSensor.locate(System.getenv("PATH"));
        try (GpuSensor sensor = new GpuSensor(Duration.ofSeconds(1), Clock.systemUTC())) {
            if (real.isPresent()) {
                Optional<GpuSeen> seen = sensor.sample(Instant.now());
                assertThat(seen).as(sensor.status()).isPresent();
                assertThat(seen.get().busyFraction()).isBetween(0.0, 1.0);
            } else {
                assertThat(sensor.start(s -> {})).isFalse();
                assertThat(sensor.status()).isEqualTo("no nvidia-smi");
            }
        }
    }

    private Path script(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
