package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
                                new MachineView(
                                        "desk-07",
                                        "online",
                                        false,
                                        8,
                                        16L << 30,
                                        6.5,
                                        12L << 30,
                                        1,
                                        "cgroup-v2",
                                        "",
                                        now.minusSeconds(3600),
                                        now.minusSeconds(3)),
                                new MachineView(
                                        "lab-2",
                                        "offline",
                                        false,
                                        4,
                                        8L << 30,
                                        4,
                                        8L << 30,
                                        0,
                                        "nice-only",
                                        "no cgroup delegation",
                                        now.minusSeconds(7200),
                                        null)),
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
                                new MachineView(
                                        "desk-1",
                                        "online",
                                        false,
                                        4,
                                        8L << 30,
                                        4,
                                        8L << 30,
                                        0,
                                        "cgroup-v2",
                                        "",
                                        now,
                                        now,
                                        null,
                                        away),
                                new MachineView(
                                        "desk-2",
                                        "online",
                                        false,
                                        4,
                                        8L << 30,
                                        4,
                                        8L << 30,
                                        0,
                                        "cgroup-v2",
                                        "",
                                        now,
                                        now,
                                        null,
                                        here)),
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
                        List.of(rack("rack-1", now, headless), rack("rack-2", now, headlessOlderAgent)), now)
                .render();
        assertThat(lonely.lines().skip(1).map(l -> l.split("\\s{2,}")[2]))
                .containsExactly("away, nobody seen", "away, nobody seen");
    }

    private static MachineView rack(String name, Instant now, org.cyphon.core.protocol.DeskView desk) {
        return new MachineView(
                name, "online", false, 4, 8L << 30, 4, 8L << 30, 0, "cgroup-v2", "", now, now, null, desk);
    }

    @Test
    void theDeskColumnShowsWhereTheKeeperIsTakingTheVm() {
        Instant now = Instant.parse("2026-11-24T22:15:30Z");
        var goingToSleep = vm("running", "saved");
        var settled = vm("paused", "paused");
        var stopped = vm("stopped", "running"); // the keeper never starts a stopped VM: no arrow
        String out = MachinesCommand.table(
                        List.of(
                                new MachineView(
                                        "desk-1",
                                        "online",
                                        false,
                                        4,
                                        8L << 30,
                                        4,
                                        8L << 30,
                                        0,
                                        "cgroup-v2",
                                        "",
                                        now,
                                        now,
                                        null,
                                        null,
                                        goingToSleep),
                                new MachineView(
                                        "desk-2",
                                        "online",
                                        false,
                                        4,
                                        8L << 30,
                                        4,
                                        8L << 30,
                                        0,
                                        "cgroup-v2",
                                        "",
                                        now,
                                        now,
                                        null,
                                        null,
                                        settled),
                                new MachineView(
                                        "desk-3",
                                        "online",
                                        false,
                                        4,
                                        8L << 30,
                                        4,
                                        8L << 30,
                                        0,
                                        "cgroup-v2",
                                        "",
                                        now,
                                        now,
                                        null,
                                        null,
                                        stopped)),
                        now)
                .render();
        assertThat(out.lines().skip(1).map(l -> l.split("\\s{2,}")[3]))
                .containsExactly("running/tcg>saved", "paused/tcg", "stopped/tcg");
    }

    private static org.cyphon.core.protocol.DeskVmView vm(String state, String target) {
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
                        null)
                .withKeeperTarget(target);
    }
}
