package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cyphon simulate} end to end, in process: traces in, table, JSON and report out. */
class SimulateCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run cyphon(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void simulatesAnIntervalTraceAndWritesJsonAndReport() throws Exception {
        Path owners = dir.resolve("owners.tsv");
        Files.writeString(
                owners, "a\t0\t3602\taway\na\t3602\t7200\tpresent\na\t7200\t36000\taway\nb\t0\t36000\taway\n");
        Path swf = dir.resolve("jobs.swf");
        Files.writeString(swf, """
                ; two jobs in the Standard Workload Format
                1 0 0 9000 1 -1 -1 1 9000 -1 1 1 1 1 -1 -1 -1 -1
                2 60 0 600 8 -1 -1 8 900 -1 1 2 2 2 -1 -1 -1 -1
                """);
        Path json = dir.resolve("out.json");
        Path html = dir.resolve("out.html");

        Run r = cyphon(
                "simulate",
                "--jobs",
                swf.toString(),
                "--owners",
                "intervals:" + owners,
                "--policy",
                "desktop,htcondor-desktop",
                "--checkpointable",
                "0",
                "--json",
                json.toString(),
                "--report",
                html.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("desktop", "htcondor-desktop", "linger slowdown factor 0.020", "2 desks");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("policies")).hasSize(2);
        JsonNode desktop = root.get("policies").get(0);
        assertThat(desktop.get("name").asText()).isEqualTo("desktop");
        assertThat(desktop.get("jobsCompleted").asLong()).isEqualTo(2);
        assertThat(desktop.get("harvestEfficiency").asDouble()).isBetween(0.0, 1.0);
        assertThat(root.get("inputs").get("jobsWithCpusCappedToCores").asLong()).isEqualTo(1);
        assertThat(Files.readString(html)).startsWith("<!doctype html>").contains("<svg");
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        Path owners = dir.resolve("owners.tsv");
        Files.writeString(owners, "a\t0\t100\tasleep\n");
        Path json = dir.resolve("out.json");

        Run r = cyphon("simulate", "--owners", "intervals:" + owners, "--saturate", "--json", json.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip())
                .isEqualTo("cyphon simulate: " + owners + ":1: state 'asleep' is not present, away or off");
        assertThat(json).doesNotExist();

        Run unknown = cyphon("simulate", "--owners", "fit:nd07cpu", "--saturate", "--policy", "lazy");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--policy: unknown preset 'lazy' (known: desktop, strict");
    }

    @Test
    void sleepingDesksAndAnnouncedShutdownsAreReportedBesideTheHarvest() throws Exception {
        // Desk a: away, switched off 2-3 h, away again; desk b: away all 10 h. One checkpointing job
        // of 5 h at 0 and a 10-minute one at 6 h.
        Path owners = dir.resolve("owners.tsv");
        Files.writeString(owners, "a\t0\t7200\taway\na\t10800\t36000\taway\nb\t0\t36000\taway\n");
        Path swf = dir.resolve("jobs.swf");
        Files.writeString(swf, """
                1 0 0 18000 4 -1 -1 4 18000 -1 1 1 1 1 -1 -1 -1 -1
                2 21600 0 600 1 -1 -1 1 600 -1 1 1 1 1 -1 -1 -1 -1
                """);
        Path json = dir.resolve("power.json");

        Run r = cyphon(
                "simulate",
                "--jobs",
                swf.toString(),
                "--owners",
                "intervals:" + owners,
                "--policy",
                "dedicated",
                "--checkpointable",
                "1",
                "--shutdown-delay",
                "2m",
                "--suspend-when-idle",
                "30m",
                "--max-awake",
                "5",
                "--watts",
                "60,3,1",
                "--json",
                json.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("shutdowns announced, 120s for checkpoints")
                .contains("desks sleep after 30m00s idle without work, at most 5 wake-ups an hour")
                .contains("watts awake 60 W, asleep 3 W, off 1 W")
                .containsPattern("dedicated +lost to power-off 0\\.0 CPU-h, 0\\.0 of it checkpointable");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.at("/settings/power/suspendWhenIdleSeconds").asDouble()).isEqualTo(1800);
        JsonNode p = root.get("policies").get(0);
        assertThat(p.get("cpuSecondsLostToPowerOff").asDouble()).isZero();
        assertThat(p.get("sleeps").asLong()).isPositive();
        double awake = p.get("awakeDeskHours").asDouble();
        double asleep = p.get("asleepDeskHours").asDouble();
        double off = p.get("offDeskHours").asDouble();
        assertThat(awake + asleep + off).isCloseTo(20, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(off).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(p.get("energyKWh").asDouble())
                .isCloseTo((awake * 60 + asleep * 3 + off * 1) / 1000, org.assertj.core.api.Assertions.within(2e-3));

        Run bad = cyphon("simulate", "--owners", "fit:nd07cpu", "--saturate", "--watts", "50,4");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--watts: '50,4' is not three numbers");
        Run never = cyphon("simulate", "--owners", "fit:nd07cpu", "--saturate", "--suspend-when-idle", "0s");
        assertThat(never.err()).contains("--suspend-when-idle must be positive, or off");
    }

    @Test
    void aProgressLineGoesToStderrOnlyOnATerminalOrWhenAsked() {
        String[] run = {
            "simulate", "--owners", "fit:nd07cpu", "--machines", "3", "--days", "2", "--saturate", "--policy", "strict"
        };

        Run quiet = cyphon(run);
        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.err()).isEmpty();

        Run asked = cyphon(append(run, "--progress"));
        assertThat(asked.code()).as(asked.err()).isZero();
        assertThat(asked.err()).startsWith("\rreading the traces... ").contains("\rsimulating: ");
        // Wiped before the table prints: the last thing on stderr is a carriage return after blanks.
        assertThat(asked.err()).matches("(?s).*\r +\r");
        assertThat(asked.out()).startsWith("policy");

        // What the cyphon launcher says when stderr is a terminal ([ -t 2 ]).
        System.setProperty("cyphon.stderr.terminal", "true");
        try {
            assertThat(cyphon(run).err()).contains("\rsimulating: ");
            assertThat(cyphon(append(run, "--no-progress")).err()).isEmpty();
        } finally {
            System.clearProperty("cyphon.stderr.terminal");
        }
    }

    private static String[] append(String[] args, String more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = more;
        return out;
    }
}
