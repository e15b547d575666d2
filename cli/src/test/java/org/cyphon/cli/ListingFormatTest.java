package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.cli.MachineViewBuilder.machine;

import java.time.Instant;
import java.util.List;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.MachineView;
import org.junit.jupiter.api.Test;

/** The tables of {@code cyphon q} and {@code cyphon machines}, and the queue summary. */
class ListingFormatTest {
    private static JobView job(long id, String name, String owner, String state, String machine, Long runSeconds) {
        return new JobView(
                id,
                state,
                new JobView.Submission(name, 0, owner, List.of("x"), null, 0, Instant.EPOCH),
                new JobView.Needs(1, 256L << 20, null, null, null),
                new JobView.Progress(null, machine, 0, 5, null, null, runSeconds),
                new JobView.Result(null, null, null),
                new JobView.Checkpoints(null, null, null, null),
                null);
    }

    @Test
    void queueTableShowsTheColumnsSqueueUsersExpect() {
        String out = QueueCommand.table(List.of(
                        job(9, "render", "alice", "running", "desk-07", 3725L),
                        job(10, "sim", "bob", "queued", null, null),
                        job(112, "sim", "bob", "held", null, 45L)))
                .render();

        assertThat(out).isEqualTo("""
                 ID  NAME    OWNER  STATE    MACHINE    RUN
                  9  render  alice  running  desk-07  1h02m
                 10  sim     bob    queued   -            -
                112  sim     bob    held     -          45s
                """);
    }

    @Test
    void aSleepingDesksPowerSaysHowToWakeItAndWhetherItAnswered() {
        Instant now = Instant.parse("2026-11-24T10:15:30Z");
        var nic = new org.cyphon.core.protocol.NicView(
                "enp3s0",
                "52:54:00:aa:bb:01",
                "disabled",
                "Supports Wake-on: pumbg; Wake-on: d; enable it with: ethtool -s enp3s0 wol g",
                List.of("10.1.2.255"));
        var asleep = new org.cyphon.core.protocol.PowerView(
                now.minusSeconds(3600), "suspend", List.of(nic), now.minusSeconds(600), "admin", true);
        assertThat(PowerText.describe(asleep, now)).isEqualTo("""
                power:     asleep (suspend) since 1h00m ago
                wake-on:   enp3s0 52:54:00:aa:bb:01: disabled, via 10.1.2.255 (Supports Wake-on: pumbg; Wake-on: d; enable it with: ethtool -s enp3s0 wol g)
                woken:     magic packet 10m00s ago by admin: no answer (not woken for work again until it is heard from)
                """);
        var awake = new org.cyphon.core.protocol.PowerView(null, "hibernate", List.of(), null, null, false);
        assertThat(PowerText.describe(awake, now)).isEqualTo("""
                power:     awake (it last slept by hibernate)
                wake-on:   no card reported: only its owner can wake it
                """);
        assertThat(PowerText.describe(null, now)).isEmpty();
    }

    @Test
    void summaryCountsByStateInLifeOrder() {
        assertThat(QueueCommand.summary(List.of(
                        job(1, "a", "u", "running", "m", 1L),
                        job(2, "a", "u", "queued", null, null),
                        job(3, "a", "u", "running", "m", 1L))))
                .isEqualTo("3 jobs: 1 queued, 2 running");
        assertThat(QueueCommand.summary(List.of(job(1, "a", "u", "held", null, null))))
                .isEqualTo("1 job: 1 held");
        assertThat(QueueCommand.summary(List.of())).isEqualTo("0 jobs");
    }

    @Test
    void aCountThatReachedTheCoordinatorsCapIsShownAsAtLeast() {
        List<JobView> listed = List.of(job(7, "a", "u", "queued", null, null));
        assertThat(QueueCommand.summary(
                        listed, new java.util.LinkedHashMap<>(java.util.Map.of("queued", 100_000L)), 100_000L))
                .isEqualTo("100000+ jobs: 100000+ queued; 99999+ not shown (listed: the newest 1): narrow with"
                        + " --state, --name, --owner (--limit shows at most 100000)");
        assertThat(QueueCommand.summary(listed, java.util.Map.of("queued", 3L), 100_000L))
                .isEqualTo("3 jobs: 3 queued; 2 not shown (listed: the newest 1): see them all with --limit 3,"
                        + " or narrow with --state, --name, --owner");
    }

    @Test
    void machinesTableShowsFreeOverTotalAndADegradedSandboxsNote() {
        Instant now = Instant.parse("2026-11-24T10:15:30Z");
        String out = MachinesCommand.table(
                        List.of(
                                machine("desk-07", now)
                                        .cpus(8, 6.5)
                                        .memory(16L << 30, 12L << 30)
                                        .jobs(1)
                                        .enrolledAt(now.minusSeconds(3600))
                                        .lastHeartbeat(now.minusSeconds(3))
                                        .build(),
                                machine("lab-2", now)
                                        .state("offline")
                                        .sandbox("nice-only", "no cgroup delegation")
                                        .enrolledAt(now.minusSeconds(7200))
                                        .lastHeartbeat(null)
                                        .build()),
                        now)
                .render();

        assertThat(out).isEqualTo("""
                NAME     STATE    OWNER   CPUS   MEMORY  JOBS  SANDBOX                           LAST SEEN
                desk-07  online   -      6.5/8  12G/16G     1  cgroup-v2                         3s ago
                lab-2    offline  -        4/4    8G/8G     0  nice-only (no cgroup delegation)  never
                """);
    }

    @Test
    void machinesTableShowsTheOwnersPresenceFromTheDeskView() {
        Instant now = Instant.parse("2026-11-24T10:15:30Z");
        var away = new org.cyphon.core.protocol.DeskView(
                "away", 7500, false, true, "desktop", List.of("no input for 2h05m"), List.of());
        var here = new org.cyphon.core.protocol.DeskView(
                "present", 0, false, false, "desktop", List.of("keyboard input 1 s ago"), List.of());
        String out = MachinesCommand.table(
                        List.of(
                                machine("desk-1", now).desk(away).build(),
                                machine("desk-2", now).desk(here).build()),
                        now)
                .render();
        assertThat(out.lines().skip(1).map(l -> l.split("\\s{2,}")[2])).containsExactly("away 2h05m", "present");

        // Watched for an hour, nobody ever seen; and the same from an agent before nobodySeen,
        // which counted a headless desk's idle time from 1970.
        var headless = new org.cyphon.core.protocol.DeskView(
                "away",
                3600,
                true,
                true,
                "desktop",
                List.of("headless: no input device, display or login session to watch"),
                List.of());
        var headlessOlderAgent = new org.cyphon.core.protocol.DeskView(
                "away",
                Instant.EPOCH.until(now, java.time.temporal.ChronoUnit.SECONDS),
                false,
                true,
                "desktop",
                List.of("headless: no input device, display or login session to watch"),
                List.of());
        String lonely = MachinesCommand.table(
                        List.of(
                                machine("rack-1", now).desk(headless).build(),
                                machine("rack-2", now).desk(headlessOlderAgent).build()),
                        now)
                .render();
        assertThat(lonely.lines().skip(1).map(l -> l.split("\\s{2,}")[2]))
                .containsExactly("away, nobody seen", "away, nobody seen");
    }

    @Test
    void theMachineViewSaysOfEachWallWhetherItIsBuiltAndWhyNot() {
        Instant now = Instant.parse("2026-11-24T22:15:30Z");
        MachineView m = machine("desk-1", now)
                .build()
                .withWalls(
                        2,
                        5L << 30,
                        List.of(
                                org.cyphon.core.protocol.WallView.built(
                                        "namespaces", "own mount, PID and IPC namespaces"),
                                org.cyphon.core.protocol.WallView.missing(
                                        "job accounts", "the agent is not root: every job runs as its own user")));
        assertThat(MachineCommand.walls(m)).isEqualTo("""
                walls:
                  namespaces    built: own mount, PID and IPC namespaces
                  job accounts  NOT BUILT: the agent is not root: every job runs as its own user
                """);
        assertThat(MachineCommand.walls(machine("old", now).build())).contains("not reported");
    }

    @Test
    void theDeskColumnShowsWhereTheKeeperIsTakingTheVm() {
        Instant now = Instant.parse("2026-11-24T22:15:30Z");
        var goingToSleep = vm("running", "saved");
        var settled = vm("paused", "paused");
        var stopped = vm("stopped", "running"); // the keeper never starts a stopped VM: no arrow
        String out = MachinesCommand.table(
                        List.of(
                                machine("desk-1", now).vm(goingToSleep).build(),
                                machine("desk-2", now).vm(settled).build(),
                                machine("desk-3", now).vm(stopped).build()),
                        now)
                .render();
        assertThat(out.lines().skip(1).map(l -> l.split("\\s{2,}")[3]))
                .containsExactly("running/tcg>saved", "paused/tcg", "stopped/tcg");
    }

    @Test
    void theDeskColumnAndTheDeskStatusShowAnAdministratorsHoldAndAFailure() {
        var hold = new org.cyphon.core.protocol.DeskHoldView(
                "running", "admin", "resume", Instant.parse("2026-11-24T10:00:00Z"), null);
        var held = vm(
                "running",
                "running",
                new org.cyphon.core.protocol.DeskControlView(
                        "admin",
                        hold,
                        "nothing while held running by admin (resume) until released",
                        null,
                        null,
                        128L));
        assertThat(DeskStatusText.cell(held)).isEqualTo("running/tcg(held)");
        assertThat(DeskStatusText.details("m1", held, Instant.parse("2026-11-24T10:05:00Z")))
                .contains("decided:  by an administrator: held running by admin (resume) until released")
                .contains("next:     nothing while held")
                .contains("holds 128 MiB of the machine's (not offered to jobs)");

        var failed = vm(
                "failed",
                null,
                new org.cyphon.core.protocol.DeskControlView(
                        "keeper",
                        null,
                        "nothing: the VM failed, and waits for an administrator",
                        null,
                        "qemu (pid 7) killed by SIGKILL (exit status 137); last lines of qemu.log: (qemu.log is empty)",
                        0L));
        assertThat(DeskStatusText.cell(failed)).isEqualTo("failed/tcg");
        assertThat(DeskStatusText.summary(failed)).contains("failed under tcg (qemu (pid 7) killed by SIGKILL");
        assertThat(DeskStatusText.details("m1", failed, Instant.parse("2026-11-24T10:05:00Z")))
                .contains("failure:  qemu (pid 7) killed by SIGKILL (exit status 137)");

        var next = vm(
                "running",
                "running",
                new org.cyphon.core.protocol.DeskControlView(
                        "keeper",
                        null,
                        "paused at 2026-11-24T12:15:00Z if nobody is here by then",
                        Instant.parse("2026-11-24T12:15:00Z"),
                        null,
                        128L));
        assertThat(DeskStatusText.details("m1", next, Instant.parse("2026-11-24T10:05:00Z")))
                .as("instants in the desk's local time, as everywhere else in the CLI")
                .contains("next:     paused at "
                        + org.cyphon.cli.client.Display.time(Instant.parse("2026-11-24T12:15:00Z"))
                        + " if nobody is here by then")
                .contains("decided:  by the desk keeper's plan");
    }

    private static org.cyphon.core.protocol.DeskVmView vm(String state, String target) {
        return vm(state, target, null);
    }

    private static org.cyphon.core.protocol.DeskVmView vm(
            String state, String target, org.cyphon.core.protocol.DeskControlView control) {
        return new org.cyphon.core.protocol.DeskVmView(
                "d",
                "qemu",
                state,
                null,
                "tcg",
                "tcg: set",
                null,
                null,
                "/o.qcow2",
                false,
                null,
                null,
                null,
                128,
                1,
                null,
                null,
                List.of(),
                "none",
                null,
                null,
                null,
                null,
                target,
                control);
    }

    @Test
    void machinesWithGpusGetAGpusColumnAndTheMachineViewListsEachGpu() {
        Instant now = Instant.parse("2026-11-24T10:15:30Z");
        MachineView plain = machine("desk-07", now)
                .cpus(8, 8)
                .memory(16L << 30, 16L << 30)
                .sandbox("cgroup-v1", "")
                .lastHeartbeat(now.minusSeconds(3))
                .build();
        var gpu0 = new org.cyphon.core.protocol.GpuView(
                0, "GPU-5d3c3d57-8e6f-2a4b-9c1d-7f0e1a2b3c4d", "NVIDIA GeForce RTX 3060", 12L << 30, 0.37, 12L);
        var gpu1 = new org.cyphon.core.protocol.GpuView(
                1, "GPU-a1b2c3d4-0000-1111-2222-333344445555", "Quadro P400", 2L << 30, null, null);
        MachineView withGpus = machine("gpu-1", now)
                .cpus(4, 3)
                .memory(8L << 30, 7L << 30)
                .jobs(1)
                .sandbox("cgroup-v1", "")
                .lastHeartbeat(now.minusSeconds(1))
                .build()
                .withGpus(List.of(gpu0, gpu1), 1);

        String out = MachinesCommand.table(List.of(plain, withGpus), now).render();

        assertThat(out).isEqualTo("""
                NAME     STATE   OWNER  CPUS   MEMORY  GPUS  JOBS  SANDBOX    LAST SEEN
                desk-07  online  -       8/8  16G/16G     -     0  cgroup-v1  3s ago
                gpu-1    online  -       3/4    7G/8G   1/2     1  cgroup-v1  1s ago
                """);
        assertThat(MachineCommand.gpuLine(gpu0))
                .isEqualTo("0 NVIDIA GeForce RTX 3060 12G GPU-5d3c3d57-8e6f-2a4b-9c1d-7f0e1a2b3c4d busy 37% job 12");
        assertThat(MachineCommand.gpuLine(gpu1))
                .isEqualTo("1 Quadro P400 2G GPU-a1b2c3d4-0000-1111-2222-333344445555 free");
    }

    @Test
    void coordinatorsShowWhoLeadsSinceWhenAndTheEpoch() {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        var a = new org.cyphon.core.protocol.CoordinatorView(
                "a:7070", "https://a:7070", now.minusSeconds(3600), now.minusSeconds(1), true);
        var b = new org.cyphon.core.protocol.CoordinatorView(
                "b:7070", "https://b:7070", now.minusSeconds(600), now.minusSeconds(20), false);
        String table = CoordinatorsCommand.table(List.of(a, b), now).render();
        assertThat(table.lines().toList())
                .hasSize(3)
                .satisfies(l -> assertThat(l.get(0)).contains("ID", "URL", "LAST SEEN", "ROLE"))
                .satisfies(l -> assertThat(l.get(1)).contains("a:7070", "https://a:7070", "1s ago", "leader"))
                .satisfies(l -> assertThat(l.get(2)).contains("b:7070", "20s ago", "follower"));
        var list = new org.cyphon.core.protocol.CoordinatorList(
                List.of(a, b), "a:7070", 7, now.minusSeconds(125), now.plusSeconds(14), "b:7070");
        assertThat(CoordinatorsCommand.leaderLine(list, now))
                .startsWith("leader a:7070 since ")
                .contains("(2m05s ago), epoch 7; answered by b:7070");
        var none = new org.cyphon.core.protocol.CoordinatorList(List.of(b), null, 7, null, null, "b:7070");
        assertThat(CoordinatorsCommand.leaderLine(none, now)).startsWith("no leader now (epoch 7)");
    }
}
