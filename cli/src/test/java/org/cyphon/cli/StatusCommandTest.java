package org.cyphon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.cyphon.agent.OwnerStatusFile;
import org.cyphon.cli.client.Display;
import org.cyphon.core.protocol.DeskControlView;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.DeskVmView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cyphon status} as the person at the desk reads it, from a status file the agent's own code wrote. */
class StatusCommandTest {
    @TempDir
    Path dir;

    @Test
    void theOwnerReadsWhetherTheyCountAsPresentWhatTheJobsDoWhyAndTheOverload() throws Exception {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        DeskView desk = new DeskView(
                "present",
                0,
                false,
                false,
                "desktop",
                List.of("input on x11::0 3s ago", "overload mode on until 2026-11-24T12:00:00Z"),
                List.of());
        OwnerStatusFile written = new OwnerStatusFile(
                "alice-pc",
                now.minusSeconds(2),
                desk,
                List.of("job 42: lingering"),
                Instant.parse("2026-11-24T12:00:00Z"));
        var write = OwnerStatusFile.class.getDeclaredMethod("write", Path.class);
        write.setAccessible(true);
        write.invoke(written, dir);
        assertThat(Files.getPosixFilePermissions(dir.resolve("owner-status.json"))
                        .toString())
                .contains("OTHERS_READ");

        String text = StatusCommand.describe(OwnerStatusFile.read(dir).orElseThrow(), now);

        assertThat(text)
                .startsWith("desk alice-pc (agent reported 2s ago)\n")
                .contains("overload mode ON until 2026-11-24T12:00:00Z")
                .contains("you: present\n")
                .contains("new cluster work: held back (policy desktop)\n")
                .contains("cluster jobs here: job 42: lingering\n")
                .contains("  - input on x11::0 3s ago\n");
    }

    @Test
    void aHeadlessDeskSaysNobodyCanBeSeenRatherThanAnIdleTime() throws Exception {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        DeskView headless = new DeskView(
                "away",
                3600,
                true,
                true,
                "desktop",
                List.of("no input sensor: nobody can be seen at this desk, so it counts as long idle"),
                List.of());
        var write = OwnerStatusFile.class.getDeclaredMethod("write", Path.class);
        write.setAccessible(true);
        write.invoke(new OwnerStatusFile("rack-1", now, headless, List.of(), null), dir);
        assertThat(Files.readString(dir.resolve("owner-status.json"))).contains("\"nobodySeen\" : true");

        String text = StatusCommand.describe(OwnerStatusFile.read(dir).orElseThrow(), now);

        assertThat(text).contains("you: away: no one can be seen at this desk (headless)\n");
    }

    @Test
    void theOwnerSeesTheirVmWhatTheKeeperDoesNextTheirClaimAndWhatTheyMayDo() throws Exception {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        DeskView desk = new DeskView(
                "away",
                300,
                false,
                false,
                "desktop",
                List.of("the owner asked for the whole machine until 2026-11-24T11:00:00Z (cyphon claim)"),
                List.of());
        DeskVmView vm = new DeskVmView(
                "d",
                "qemu",
                "running",
                "running",
                "kvm",
                "kvm works",
                42L,
                now,
                "/o.qcow2",
                false,
                null,
                null,
                4096L,
                4096,
                2,
                null,
                null,
                List.of(),
                "none",
                null,
                now,
                null,
                null,
                null,
                new DeskControlView(
                        "keeper",
                        null,
                        "paused at 2026-11-24T10:10:00Z if nobody is here by then",
                        Instant.parse("2026-11-24T10:10:00Z"),
                        null,
                        4096L));
        var write = OwnerStatusFile.class.getDeclaredMethod("write", Path.class);
        write.setAccessible(true);
        write.invoke(
                new OwnerStatusFile(
                        "alice-pc", now, desk, List.of(), null, vm, Instant.parse("2026-11-24T11:00:00Z"), "alice"),
                dir);

        String text = StatusCommand.describe(OwnerStatusFile.read(dir).orElseThrow(), now);

        assertThat(text)
                .contains("your desk VM: running under kvm\n")
                .contains("  next: paused at " + Display.time(Instant.parse("2026-11-24T10:10:00Z"))
                        + " if nobody is here by then\n")
                .contains("your claim: the whole machine is yours until "
                        + Display.time(Instant.parse("2026-11-24T11:00:00Z")))
                .contains("yours to do here, no token needed (as alice or root):")
                .contains("cyphon claim --for 1h")
                .contains("cyphon away --until DATE")
                .contains("cyphon back")
                .contains("cyphon desk status")
                .doesNotContain("T10:10:00Z");
    }

    @Test
    void withoutAnAgentItSaysSoAndFails() {
        StatusCommand c = new StatusCommand();
        c.stateDir = dir;
        assertThat(c.call()).isEqualTo(1);
    }
}
