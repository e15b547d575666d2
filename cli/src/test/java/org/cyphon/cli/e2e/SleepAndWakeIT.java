package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.power.LogindSleepTestService;
import org.cyphon.agent.sensors.DBusPrivateBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Desks that sleep and wake (issue 14 §3), on the office LAN of network namespaces ({@link Office}):
 * a real agent with {@code power.suspend_when_idle} tells the coordinator it goes to sleep, with the
 * MAC address of its card, and asks logind to suspend. The test's logind (on a private bus) then
 * "suspends" the desk by stopping the agent's process (SIGSTOP): a sleeping desk is a desk whose
 * agent does nothing. The coordinator shows it {@code asleep}; a job that needs it makes the
 * coordinator send a Wake-on-LAN magic packet, a UDP broadcast on the LAN. A capture on the desk's
 * own cable sees it, with the desk's MAC, and that is the wake-up: the test resumes the process
 * (SIGCONT) and logind says the machine resumed, as a card that woke its machine would. The desk
 * beats, takes the job and runs it. Then an admin wakes it by hand with {@code cyphon machine NAME
 * --wake}. Nothing leaves the namespaces (the packets go to the LAN's broadcast address).
 */
@Tag("office")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SleepAndWakeIT {
    @TempDir
    static Path tmp;

    private Office office;
    private DBusPrivateBus bus;
    private LogindSleepTestService logind;
    private Desk desk;
    private String mac;
    private OfficeNetwork.Capture onTheDesksCable;

    @BeforeAll
    void buildTheOffice() throws Exception {
        office = Office.build(tmp);
        try {
            bus = DBusPrivateBus.start();
            logind = LogindSleepTestService.startOn(bus.address());
            // The desk goes down: its agent stops, as every process of a suspended machine does.
            logind.onSleep(how -> signal("STOP"));
            office.startCoordinator("""
                    [power]
                    max_awake = 5
                    wake_after = "0s"
                    """);
            desk = office.plugDesk("desk-1", 11, 1).withOwnSysfs().withConfig("""
                            [power]
                            suspend_when_idle = "3s"
                            [sensors]
                            evdev = false
                            x11 = false
                            logind = false
                            dbus_address = "%s"
                            """.formatted(bus.address()));
            desk.join(office.issueJoinTicket());
            mac = OfficeNetwork.run("ip", "-n", desk.host.netns(), "-br", "link", "show", "eth0")
                    .strip()
                    .split("\\s+")[2];
            onTheDesksCable = office.network.captureOn(desk.host, tmp.resolve("desk-1-eth0.pcap"), "udp port 9");
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (desk != null && desk.agent() != null && desk.agent().alive()) signal("CONT");
            if (onTheDesksCable != null) onTheDesksCable.stopNow();
            if (office != null) office.close();
        } finally {
            if (logind != null) logind.close();
            if (bus != null) bus.close();
        }
    }

    private void signal(String sig) {
        try {
            OfficeNetwork.run("kill", "-" + sig, Long.toString(desk.agent().pid()));
        } catch (Exception e) {
            throw new IllegalStateException("kill -" + sig + " of the agent", e);
        }
    }

    /** The agent's process is stopped (state T in /proc/PID/stat). */
    private boolean agentStopped() throws Exception {
        String stat = Files.readString(Path.of("/proc/" + desk.agent().pid() + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
    }

    /** Magic packets for {@code mac} the capture on the desk's cable holds so far. */
    private int magicPacketsSeen() throws Exception {
        byte[] magic =
                HexFormat.of().parseHex("ffffffffffff" + mac.replace(":", "").repeat(16));
        byte[] seen = onTheDesksCable.soFar();
        int n = 0;
        for (int from = 0; ; ) {
            int at = OfficeNetwork.indexOf(java.util.Arrays.copyOfRange(seen, from, seen.length), magic);
            if (at < 0) return n;
            n++;
            from += at + magic.length;
        }
    }

    /** Waits until the desk is asleep: it told the coordinator, logind suspended it, its process is stopped. */
    private void awaitAsleep(int sleeps) {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> logind.calls().size() >= sleeps
                        && agentStopped()
                        && office.get("/machines/desk-1").path("state").asText().equals("asleep"));
    }

    /** The wake-up arrived on the desk's cable: the machine resumes (what a Wake-on-LAN card does). */
    private void awaitMagicPacketThenResume(int packetsBefore) throws Exception {
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> magicPacketsSeen() > packetsBefore);
        signal("CONT");
        logind.resume();
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        office.get("/machines/desk-1").path("state").asText().equals("online"));
    }

    @Test
    void aSleepingDeskIsWokenByAMagicPacketForAJobThatNeedsItAndByAnAdmin() throws Exception {
        awaitAsleep(1);
        assertThat(logind.calls()).containsExactly("suspend");
        JsonNode m = office.get("/machines/desk-1");
        // The card it reported is the one on the desk's cable, read from its own /sys.
        assertThat(m.at("/power/interfaces/0/name").asText()).isEqualTo("eth0");
        assertThat(m.at("/power/interfaces/0/mac").asText()).isEqualTo(mac);
        assertThat(m.at("/power/interfaces/0/broadcasts/0").asText()).isEqualTo(OfficeNetwork.SUBNET + ".255");
        // Silent for far longer than the lease (4 s) and still asleep: not offline, not lost.
        long silentSince = System.nanoTime();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> System.nanoTime() - silentSince > TimeUnit.SECONDS.toNanos(6));
        assertThat(office.get("/machines/desk-1").path("state").asText()).isEqualTo("asleep");
        CyphonProcess.Result listed = office.adminCli("machines");
        assertThat(listed.stdout()).as(listed.toString()).containsPattern("desk-1\\s.*asleep");
        assertThat(magicPacketsSeen()).isZero();

        // A job only this desk may run: the coordinator wakes it, the desk takes the job.
        List<Long> ids = office.submit("""
                {"command": ["sh", "-c", "echo woken-$CYPHON_MACHINE"], "cpus": 0.5, "requires": {"desk": "desk-1"}}
                """);
        awaitMagicPacketThenResume(0);
        long id = ids.getFirst();
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> office.get("/jobs/" + id).path("state").asText().equals("completed"));
        assertThat(office.getText("/jobs/" + id + "/logs?stream=stdout")).isEqualTo("woken-desk-1\n");
        assertThat(office.get("/machines/desk-1").at("/power/wakeSentBy").asText())
                .isEqualTo("coordinator");

        // Idle again, it sleeps again; an admin wakes it from the laptop.
        awaitAsleep(2);
        int before = magicPacketsSeen();
        CyphonProcess.Result woke = office.adminCli("machine", "desk-1", "--wake");
        assertThat(woke.exitCode()).as(woke.toString()).isZero();
        assertThat(woke.stdout())
                .contains("woke desk-1 (asleep): magic packet " + mac + " to " + OfficeNetwork.SUBNET + ".255:9");
        awaitMagicPacketThenResume(before);
        CyphonProcess.Result shown = office.adminCli("machine", "desk-1");
        // Awake, or (3 s idle) asleep again by the time the CLI asks.
        assertThat(shown.stdout())
                .containsPattern("power: +(awake \\(it last slept by suspend\\)|asleep \\(suspend\\) since)")
                .contains("wake-on:   eth0 " + mac + ": unknown, via " + OfficeNetwork.SUBNET + ".255")
                .containsPattern("woken: +magic packet .* ago by admin");
    }
}
