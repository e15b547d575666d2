package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.cli.client.WireJson;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.MachineList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user commands against a real coordinator over real HTTP, driven through {@link Main#run}
 * exactly as a shell would. No agent runs, so jobs stay queued: enough for everything but output.
 */
class CliEndToEndTest {
    @TempDir
    static Path dataDir;

    static Coordinator coordinator;

    @BeforeAll
    static void startCoordinator() throws Exception {
        CoordinatorLogs.keepOutOfCapturedStreams();
        coordinator = Coordinator.start(CoordinatorConfig.defaults(dataDir).withPort(0));
    }

    @AfterAll
    static void stopCoordinator() throws Exception {
        if (coordinator != null) coordinator.close();
    }

    private static CliRun cyphonAs(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        // Connection flags go right after the subcommand ("token create" is two words), before the
        // command of a submit, which takes everything after its first argument as its own.
        int at = all.get(0).equals("token") ? 2 : 1;
        all.addAll(at, List.of("--url", coordinator.url().toString(), "--token", token));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static CliRun cyphon(String... args) {
        return cyphonAs(coordinator.adminToken(), args);
    }

    private static long submitOne(String token, String... args) {
        CliRun r = cyphonAs(token, args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(1);
        return Long.parseLong(r.outLines().get(0));
    }

    private static JobView jobJson(long id) throws Exception {
        CliRun r = cyphon("job", "--json", Long.toString(id));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return WireJson.MAPPER.treeToValue(WireJson.MAPPER.readTree(r.out()).get("job"), JobView.class);
    }

    @Test
    void submitPrintsOnlyTheIdsAndTheQueueShowsThem() throws Exception {
        long id = submitOne(
                coordinator.adminToken(),
                "submit",
                "--name",
                "e2e-sleep",
                "--cpus",
                "0.5",
                "--memory",
                "64M",
                "--",
                "sleep",
                "60");

        CliRun q = cyphon("q");
        assertThat(q.exitCode()).isZero();
        assertThat(q.outLines().get(0)).matches("\\s*ID\\s+NAME\\s+OWNER\\s+STATE\\s+MACHINE\\s+RUN");
        assertThat(q.outLines()).anyMatch(l -> l.matches("\\s*" + id + "\\s+e2e-sleep\\s+\\S+\\s+queued\\s+-\\s+-"));
        assertThat(q.err()).matches("(?s)\\d+ jobs?: .*queued.*");

        CliRun json = cyphon("q", "--json", "--name", "e2e-sleep");
        JobList list = WireJson.MAPPER.readValue(json.out(), JobList.class);
        assertThat(list.jobs()).extracting(JobView::id).contains(id);
        assertThat(json.err()).isEmpty();

        JobView view = jobJson(id);
        assertThat(view.needs().cpus()).isEqualTo(0.5);
        assertThat(view.needs().memoryBytes()).isEqualTo(64L << 20);
        assertThat(view.submission().command()).containsExactly("sleep", "60");
    }

    @Test
    void countSubmitsManyAndEachGetsItsIndex() throws Exception {
        CliRun r = cyphon("submit", "-n", "3", "--name", "e2e-sweep", "--", "echo", "part-{index}");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(3).allMatch(l -> l.matches("\\d+"));
        long second = Long.parseLong(r.outLines().get(1));
        assertThat(jobJson(second).submission().command()).containsExactly("echo", "part-1");
        assertThat(jobJson(second).submission().index()).isEqualTo(1);
    }

    @Test
    void aJobFileIsSubmittedLikeTheFlags() throws Exception {
        Path file = dataDir.resolve("e2e-job.toml");
        Files.writeString(file, """
                name = "e2e-file"
                executable = "echo"
                arguments = ["{index}"]
                memory = "128M"
                count = 2
                [env]
                GREETING = "hi"
                """);

        CliRun r = cyphon("submit", file.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(2);
        JobView first = jobJson(Long.parseLong(r.outLines().get(0)));
        assertThat(first.submission().name()).isEqualTo("e2e-file");
        assertThat(first.submission().env()).containsEntry("GREETING", "hi");
        assertThat(first.needs().memoryBytes()).isEqualTo(128L << 20);
    }

    @Test
    void jobShowsDetailsAttemptsAndEvents() {
        long id = submitOne(
                coordinator.adminToken(),
                "submit",
                "--name",
                "e2e-show",
                "--env",
                "K=V",
                "--",
                "sh",
                "-c",
                "echo 'a b'");

        CliRun r = cyphon("job", Long.toString(id));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith("Job " + id + "\n")
                .contains("e2e-show")
                .contains("queued")
                .contains("sh -c 'echo '\\''a b'\\'''")
                .contains("K=V")
                .contains("Attempts:\n  none yet")
                .contains("Events:");
    }

    @Test
    void holdReleaseAndCancelChangeTheState() throws Exception {
        long id = submitOne(coordinator.adminToken(), "submit", "--", "sleep", "1");

        assertThat(cyphon("hold", Long.toString(id))).isEqualTo(new CliRun(0, id + " held\n", ""));
        assertThat(jobJson(id).state()).isEqualTo("held");
        assertThat(cyphon("q", "--state", "held").out())
                .contains(" " + id + " ")
                .doesNotContain("queued ");

        assertThat(cyphon("release", Long.toString(id))).isEqualTo(new CliRun(0, id + " released\n", ""));
        assertThat(jobJson(id).state()).isEqualTo("queued");

        CliRun again = cyphon("release", Long.toString(id));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).startsWith("cyphon: job " + id + ": ");

        assertThat(cyphon("cancel", Long.toString(id))).isEqualTo(new CliRun(0, id + " cancelled\n", ""));
        assertThat(jobJson(id).state()).isEqualTo("cancelled");
        assertThat(cyphon("q").out()).doesNotContain(" " + id + " ");
        assertThat(cyphon("q", "--all").out()).contains(" " + id + " ");
    }

    @Test
    void cancelTriesEveryIdAndFailsIfAnyFailed() {
        long id = submitOne(coordinator.adminToken(), "submit", "--", "true");

        CliRun r = cyphon("cancel", "987654321", Long.toString(id));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(id + " cancelled\n");
        assertThat(r.err()).startsWith("cyphon: job 987654321: ").hasLineCount(1);
    }

    @Test
    void badInputIsRefusedWithTheFieldNamed() throws Exception {
        CliRun negativeCpus = cyphon("submit", "--cpus", "-1", "--", "true");
        assertThat(negativeCpus.exitCode()).isEqualTo(1);
        assertThat(negativeCpus.out()).isEmpty();
        assertThat(negativeCpus.err())
                .startsWith("cyphon: ")
                .contains("(field: cpus)")
                .hasLineCount(1);

        CliRun absurdMemory = cyphon("submit", "--memory", "900T", "--", "true");
        assertThat(absurdMemory.exitCode()).isEqualTo(1);
        assertThat(absurdMemory.err()).contains("(field: memory)");

        CliRun absurdCount = cyphon("submit", "-n", "1000000", "--", "true");
        assertThat(absurdCount.exitCode()).isEqualTo(1);
        assertThat(absurdCount.err()).contains("(field: count)");

        CliRun unparsableSize = cyphon("submit", "--memory", "lots", "--", "true");
        assertThat(unparsableSize.exitCode()).isEqualTo(2);
        assertThat(unparsableSize.err()).startsWith("cyphon: --memory: 'lots' is not a size");

        CliRun unparsableDuration = cyphon("submit", "--runtime", "soon", "--", "true");
        assertThat(unparsableDuration.exitCode()).isEqualTo(2);
        assertThat(unparsableDuration.err()).contains("--runtime");

        CliRun notANumber = cyphon("submit", "--cpus", "two", "--", "true");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("--cpus");

        CliRun emptyCommand = cyphon("submit", "--cpus", "1");
        assertThat(emptyCommand.exitCode()).isEqualTo(2);
        assertThat(emptyCommand.err()).startsWith("cyphon: command: no command given");

        CliRun blankProgram = cyphon("submit", "--", " ");
        assertThat(blankProgram.exitCode()).isEqualTo(1);
        assertThat(blankProgram.err()).contains("(field: command[0])");

        Path file = dataDir.resolve("typo.toml");
        Files.writeString(file, "command = [\"true\"]\ncpu = 2\n");
        CliRun unknownKey = cyphon("submit", file.toString());
        assertThat(unknownKey.exitCode()).isEqualTo(2);
        assertThat(unknownKey.err()).startsWith("cyphon: " + file + ": unknown key 'cpu'");

        CliRun badState = cyphon("q", "--state", "sleeping");
        assertThat(badState.exitCode()).isEqualTo(2);
        assertThat(badState.err()).startsWith("cyphon: --state: unknown job state 'sleeping'");
    }

    @Test
    void aUserTokenMaySubmitAndCancelItsOwnJobsButNotOthers() {
        CliRun created = cyphon("token", "create", "alice");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.outLines()).hasSize(1);
        String alice = created.outLines().get(0);
        assertThat(alice).isNotBlank().isNotEqualTo(coordinator.adminToken());

        long adminsJob = submitOne(coordinator.adminToken(), "submit", "--", "sleep", "5");
        long alicesJob = submitOne(alice, "submit", "--name", "alices", "--", "sleep", "5");

        CliRun q = cyphonAs(alice, "q", "--owner", "alice");
        assertThat(q.out()).containsPattern("(?m)^\\s*" + alicesJob + "\\s+alices\\s+alice\\s+queued");

        CliRun refused = cyphonAs(alice, "cancel", Long.toString(adminsJob));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).startsWith("cyphon: job " + adminsJob + ": ");

        assertThat(cyphonAs(alice, "cancel", Long.toString(alicesJob)).exitCode())
                .isZero();
        CliRun waitForAlice = cyphonAs(alice, "wait", "--all", "--owner", "alice");
        assertThat(waitForAlice.exitCode()).isZero();
        assertThat(waitForAlice.err()).isEqualTo("cyphon: no unfinished jobs to wait for\n");

        CliRun notAdmin = cyphonAs(alice, "token", "create", "mallory", "--admin");
        assertThat(notAdmin.exitCode()).isEqualTo(1);
        assertThat(notAdmin.out()).isEmpty();

        CliRun unknownToken = cyphonAs("no-such-token", "q");
        assertThat(unknownToken.exitCode()).isEqualTo(1);
        assertThat(unknownToken.err()).startsWith("cyphon: ");
    }

    @Test
    void waitAndLogsOnACancelledJobReturnAtOnce() {
        long id = submitOne(coordinator.adminToken(), "submit", "--", "sleep", "60");
        cyphon("cancel", Long.toString(id));

        CliRun waited = cyphon("wait", Long.toString(id));
        assertThat(waited.exitCode()).isEqualTo(1);
        assertThat(waited.out()).isEqualTo(id + " cancelled\n");
        assertThat(waited.err()).contains(Long.toString(id)).contains("did not complete with exit code 0");

        CliRun logs = cyphon("logs", "--follow", Long.toString(id));
        assertThat(logs.exitCode()).as(logs.err()).isZero();
        assertThat(logs.out()).isEmpty();

        CliRun unknown = cyphon("wait", "987654321");
        assertThat(unknown.exitCode()).isEqualTo(1);

        CliRun noIds = cyphon("wait");
        assertThat(noIds.exitCode()).isEqualTo(2);
        assertThat(noIds.err()).contains("--all");
    }

    @Test
    void waitTimesOutOnAJobThatNeverRuns() {
        long id = submitOne(coordinator.adminToken(), "submit", "--", "sleep", "60");

        CliRun r = cyphon("wait", "--timeout", "300ms", Long.toString(id));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("cyphon: timed out after 300ms; still waiting for " + id);
        cyphon("cancel", Long.toString(id));
    }

    @Test
    void machinesListsThePoolAndDrainNeedsAKnownMachine() throws Exception {
        CliRun table = cyphon("machines");
        assertThat(table.exitCode()).isZero();
        assertThat(table.outLines().get(0))
                .matches("NAME\\s+STATE\\s+OWNER\\s+CPUS\\s+MEMORY\\s+JOBS\\s+SANDBOX\\s+LAST SEEN");

        CliRun json = cyphon("machines", "--json");
        assertThat(WireJson.MAPPER.readValue(json.out(), MachineList.class).machines())
                .isNotNull();

        CliRun drain = cyphon("drain", "no-such-desk");
        assertThat(drain.exitCode()).isEqualTo(1);
        assertThat(drain.err()).startsWith("cyphon: ");
    }

    @Test
    void overloadModeIsSwitchedOnBoundedHeadsTheMachinesListingAndIsSwitchedOff() {
        CliRun missing = cyphon("overload", "on", "--reason", "nightly batch");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--until");
        CliRun tooLong = cyphon("overload", "on", "--until", "30h", "--reason", "nightly batch");
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(tooLong.err()).contains("until").contains("bounded");

        CliRun on = cyphon("overload", "on", "--until", "2h", "--reason", "nightly batch");
        assertThat(on.exitCode()).as(on.err()).isZero();
        assertThat(on.out())
                .startsWith("overload mode ON until ")
                .contains("by admin")
                .endsWith(": nightly batch\n");
        CliRun machines = cyphon("machines");
        assertThat(machines.outLines().get(0)).startsWith("overload mode ON until ");
        assertThat(machines.outLines().get(1)).startsWith("NAME");

        CliRun off = cyphon("overload", "off");
        assertThat(off.out()).startsWith("overload mode off");
        assertThat(cyphon("machines").outLines().get(0)).startsWith("NAME");
        assertThat(cyphon("overload").out()).startsWith("overload mode off");
    }
}
