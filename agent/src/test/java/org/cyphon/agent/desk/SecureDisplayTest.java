package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The desk VM's screen is the desk session's user's and root's, nobody else's (issue 13 §2): a
 * real QEMU with {@code display = "spice"}, a throw-away account as the session's user, and a
 * process running as {@code nobody} (a job's sandbox user) trying every way in.
 */
class SecureDisplayTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void onlyTheSessionsUserReachesTheDisplayAndAJobGetsNothing() throws Exception {
        try (LocalAccount owner = LocalAccount.create();
                DeskFixture desk = new DeskFixture()) {
            // The fixture's directory is root's 0700 temp dir; the session's user must be able to pass it.
            Files.setPosixFilePermissions(desk.dir, PosixFilePermissions.fromString("rwx--x--x"));
            DeskSpec.Display display = DeskSpec.Display.spice(desk.dir.resolve("display"), owner.name, 2);
            QemuDeskVm vm = desk.vm(desk.spec(Accel.TCG, display, DeskSpec.Network.NONE));
            vm.start();
            GuestConsole.awaitReady(vm.serialLog(), Duration.ofSeconds(60));
            List<OwnerSignal> signals = new CopyOnWriteArrayList<>();
            DeskSessionLink sessionLink =
                    DeskSessionLink.open(display, vm, signals::add, () -> {}, java.time.Clock.systemUTC());

            // The directory, the socket and the ticket are the session user's, and private.
            assertThat(Files.getOwner(display.dir()).getName()).isEqualTo(owner.name);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(display.dir())))
                    .isEqualTo("rwx------");
            assertThat(Files.getOwner(display.socket(), LinkOption.NOFOLLOW_LINKS)
                            .getName())
                    .isEqualTo(owner.name);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(display.ticket())))
                    .isEqualTo("rw-------");
            assertThat(Files.getOwner(display.ticket()).getName()).isEqualTo(owner.name);
            String ticket = Files.readString(display.ticket());
            assertThat(ticket).matches("[A-Za-z0-9_-]{43}");
            // QEMU's copy of the password is gone once QEMU has it, and it is in no command line.
            assertThat(desk.dir.resolve("state/spice.secret")).doesNotExist();
            long pid = vm.status().pid();
            assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline"))).doesNotContain(ticket);

            // The session's user speaks SPICE with the VM.
            byte[] link = spiceLink();
            LocalAccount.Result mine = LocalAccount.runAs(
                    owner.name, List.of("socat", "-t", "2", "STDIO", "UNIX-CONNECT:" + display.socket()), link);
            assertThat(new String(mine.stdout(), 0, Math.min(4, mine.stdout().length), StandardCharsets.US_ASCII))
                    .as("the SPICE server's answer to the session's user: " + mine.output())
                    .isEqualTo("REDQ");

            // A job, as its sandbox user: no socket, no ticket, no listing, no TCP port anywhere.
            LocalAccount.Result job = LocalAccount.runAs(
                    "nobody", List.of("socat", "-t", "2", "STDIO", "UNIX-CONNECT:" + display.socket()), link);
            assertThat(job.exit()).isNotZero();
            assertThat(job.output()).contains("Permission denied").doesNotContain("REDQ");
            assertThat(LocalAccount.runAs(
                                    "nobody", List.of("cat", display.ticket().toString()), null)
                            .output())
                    .contains("Permission denied");
            assertThat(LocalAccount.runAs("nobody", List.of("ls", display.dir().toString()), null)
                            .output())
                    .contains("Permission denied");
            LocalAccount.Result viaSession = LocalAccount.runAs(
                    "nobody",
                    List.of("socat", "-t", "2", "STDIO", "UNIX-CONNECT:" + display.sessionSocket()),
                    "wake\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(viaSession.exit()).isNotZero();
            assertThat(viaSession.output()).contains("Permission denied");
            assertThat(signals).as("a job cannot pass for the owner").isEmpty();
            // Nor through the guest's input channel (org.cyphon.presence.0), whose socket is in the
            // agent's 0700 state directory: a job writing "input" there would be the owner typing.
            Path guestInput = desk.dir.resolve("state/input.sock");
            assertThat(guestInput).exists();
            LocalAccount.Result forged = LocalAccount.runAs(
                    "nobody",
                    List.of("socat", "-t", "2", "STDIO", "UNIX-CONNECT:" + guestInput),
                    "input\ninput\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(forged.exit()).isNotZero();
            assertThat(forged.output()).contains("Permission denied");
            assertThat(LocalAccount.runAs(
                                    "nobody",
                                    List.of("ls", desk.dir.resolve("state").toString()),
                                    null)
                            .output())
                    .contains("Permission denied");
            // The session's user reaches the agent: where the VM is, and a wake that counts as their input.
            assertThat(LocalAccount.runAs(
                                    owner.name,
                                    List.of("socat", "-t", "2", "STDIO", "UNIX-CONNECT:" + display.sessionSocket()),
                                    "look\n".getBytes(StandardCharsets.US_ASCII))
                            .output())
                    .contains("state running");
            assertThat(LocalAccount.runAs(
                                    owner.name,
                                    List.of("socat", "-t", "2", "STDIO", "UNIX-CONNECT:" + display.sessionSocket()),
                                    "wake\n".getBytes(StandardCharsets.US_ASCII))
                            .output())
                    .contains("state running");
            assertThat(signals)
                    .singleElement()
                    .satisfies(sg -> assertThat(((InputSeen) sg).source()).isEqualTo(DeskSessionLink.SOURCE));
            sessionLink.close();
            assertThat(listeningTcpPorts(pid)).as("TCP ports QEMU listens on").isEmpty();

            // The guest has the session's channels: the SPICE agent's and the QEMU guest agent's
            // virtio-serial ports, an HD Audio card (PCI class 0x0403) for SPICE's sound, an xHCI USB
            // controller (0x0c0330) for the redirected devices, and a QXL card per monitor (the
            // first VGA-compatible, 0x030000; the second a plain display controller, 0x038000).
            try (GuestConsole console = GuestConsole.attach(vm.serialSocket())) {
                assertThat(console.ask("ports"))
                        .contains("com.redhat.spice.0", "org.qemu.guest_agent.0", "org.cyphon.presence.0");
                assertThat(console.ask("pci")).contains("0x040300", "0x0c0330", "0x030000", "0x038000");
            }

            // A restore is a new QEMU: a new password, and the old one is worth nothing.
            vm.save();
            vm.restore();
            assertThat(Files.readString(display.ticket())).isNotEqualTo(ticket).matches("[A-Za-z0-9_-]{43}");
            assertThat(Files.getOwner(display.socket(), LinkOption.NOFOLLOW_LINKS)
                            .getName())
                    .isEqualTo(owner.name);
            assertThat(listeningTcpPorts(vm.status().pid())).isEmpty();
        }
    }

    /**
     * A SPICE client's first message (SpiceLinkHeader + SpiceLinkMess for the main channel, no
     * capabilities): the server answers with a SpiceLinkHeader that starts "REDQ".
     */
    private static byte[] spiceLink() {
        ByteBuffer b = ByteBuffer.allocate(16 + 18).order(ByteOrder.LITTLE_ENDIAN);
        b.put("REDQ".getBytes(StandardCharsets.US_ASCII)).putInt(2).putInt(2).putInt(18);
        // connection_id, channel_type (1 = main), channel_id, num_common_caps, num_channel_caps, caps_offset
        b.putInt(0).put((byte) 1).put((byte) 0).putInt(0).putInt(0).putInt(18);
        return b.array();
    }

    /** The TCP ports on which process {@code pid} has a listening socket (IPv4 and IPv6). */
    private static List<Integer> listeningTcpPorts(long pid) throws Exception {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (java.io.IOException gone) {
                    // closed meanwhile
                }
            }
        }
        assertThat(inodes).as("QEMU's sockets (QMP at least)").isNotEmpty();
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // local_address (HEXIP:HEXPORT), rem_address, st (0A = LISTEN), ..., inode at index 9
                if (f[3].equals("0A") && inodes.contains(f[9]))
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
            }
        }
        return ports;
    }
}
