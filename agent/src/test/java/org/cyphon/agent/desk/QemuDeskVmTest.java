package org.cyphon.agent.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real desk VM: QEMU running the test guest of tools/build-test-guest.sh, driven over QMP, its
 * serial console read and written by the test. One guest is shared by the tests in order (each
 * boot costs seconds under emulation): start, look, pause, screenshot, cap, balloon, take over,
 * save and restore, stop, reimage, hang and pull the plug, undo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuDeskVmTest {
    private static final Duration BOOT = Duration.ofSeconds(60);

    private final String cgroupParent =
            "cyphon-desk-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final String name = "t" + UUID.randomUUID().toString().substring(0, 8);
    private Path work;
    private Path stateDir;
    private DeskSpec spec;
    private DeskHost host;
    private QemuDeskVm vm;
    private GuestConsole console;

    @BeforeAll
    void makeTheDesk() throws Exception {
        TestGuest guest = TestGuest.build();
        host = TestGuest.host(cgroupParent);
        work = Files.createTempDirectory("desk-vm-test");
        stateDir = work.resolve("state");
        Path userData = Files.copy(guest.userDataTemplate(), work.resolve("userdata.img"));
        spec = new DeskSpec(
                name,
                guest.golden(),
                work.resolve("overlay.qcow2"),
                userData,
                1,
                256,
                96,
                DeskSpec.Display.none(),
                DeskSpec.Network.NONE,
                Accel.AUTO,
                new DeskSpec.KernelBoot(guest.kernel(), guest.initrd(), guest.cmdline()));
        vm = new QemuDeskVm(spec, stateDir, host);
    }

    @AfterAll
    void removeTheDesk() throws Exception {
        if (console != null) console.close();
        if (vm != null) {
            vm.poweroff(true);
            vm.close();
        }
        CgroupRemoval.removeTree(cgroupParent);
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    @Test
    @Order(1)
    void startsTheGuestUnderTheAcceleratorThatWorksHere() throws Exception {
        vm.start();
        GuestConsole.awaitReady(vm.serialLog(), BOOT);
        console = GuestConsole.attach(vm.serialSocket());
        assertThat(console.ask("ping")).isEqualTo("PONG");

        DeskVmStatus status = vm.status();
        assertThat(status.state()).isEqualTo(DeskVmState.RUNNING);
        assertThat(status.qemuStatus()).isEqualTo("running");
        Accel expected = KvmProbe.probe(host.qemuSystem()).usable() ? Accel.KVM : Accel.TCG;
        assertThat(status.accel()).isEqualTo(expected);
        assertThat(status.accelReason()).isNotBlank();
        assertThat(ProcessHandle.of(status.pid())).isPresent();
        assertThat(status.vcpuThreads()).hasSize(1);
        // The whole QEMU process is in the desk's cgroup.
        assertThat(Files.readAllLines(Path.of(status.cgroup(), "cgroup.procs"))).contains(Long.toString(status.pid()));
        assertThat(DeskSpec.isQcow2(spec.overlay())).isTrue();
        assertThatThrownBy(vm::start)
                .isInstanceOf(DeskException.class)
                .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.REFUSED));
    }

    @Test
    @Order(2)
    void theGuestSeesTheGoldenSystemDiskAndTheOwnersDataDisk() throws Exception {
        assertThat(console.ask("cat-system golden.txt")).isEqualTo("VALUE golden image of the Cyphon test guest");
        assertThat(console.ask("cat-data owner.txt")).isEqualTo("VALUE the owner's own file");
    }

    @Test
    @Order(3)
    void pauseStopsTheGuestAndItsClockUntilResume() throws Exception {
        double before = Double.parseDouble(console.ask("uptime").substring("VALUE ".length()));
        long wallStart = System.nanoTime();

        vm.pause();
        assertThat(vm.status().state()).isEqualTo(DeskVmState.PAUSED);
        console.send("uptime");
        assertThat(console.nextAnswer(Duration.ofSeconds(2)))
                .as("a paused guest answers nothing")
                .isNull();
        assertRefused(vm::pause);

        vm.resume();
        String answer = console.nextAnswer(Duration.ofSeconds(10));
        double wall = (System.nanoTime() - wallStart) / 1e9;
        assertThat(answer).startsWith("VALUE ");
        double guest = Double.parseDouble(answer.substring("VALUE ".length())) - before;
        assertThat(guest)
                .as("guest seconds over %.1f wall seconds with 2 s paused", wall)
                .isLessThan(wall - 1.5);
        assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
        assertRefused(vm::resume);
    }

    @Test
    @Order(4)
    void aScreenshotIsAPngOfTheGuestsScreen() throws Exception {
        BufferedImage image = decodePng(vm.screenshot());
        // The VGA text console: 80x25 characters of 9x16 pixels.
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(640);
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(400);
        assertThat(colours(image)).as("text on the screen, not a blank one").isGreaterThan(1);
    }

    @Test
    @Order(5)
    void aBusyGuestIsHeldToItsCpuCap() throws Exception {
        assertThat(console.ask("burn")).isEqualTo("OK burn");
        Thread.sleep(300); // not a wait for a state: the busy loop's first moments stay out of the measured window
        double uncapped = coresUsedOver(Duration.ofSeconds(2));
        // Well above the cap even when other builds share the machine's cores.
        assertThat(uncapped).as("a busy guest without a cap").isGreaterThan(0.35);

        vm.setCpuCap(0.2);
        assertThat(vm.status().cpuCapCores()).isEqualTo(0.2);
        Thread.sleep(300); // not a wait for a state: the cgroup periods across the change stay out of the window
        double capped = coresUsedOver(Duration.ofSeconds(3));
        assertThat(capped)
                .as("a busy guest capped at 0.2 cores (uncapped it took %.2f)", uncapped)
                .isBetween(0.05, 0.26);

        vm.setCpuCap(null);
        assertThat(console.ask("calm")).isEqualTo("OK calm");
        assertThatThrownBy(() -> vm.setCpuCap(0.0))
                .isInstanceOf(DeskException.class)
                .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.INVALID));
    }

    @Test
    @Order(6)
    void theBalloonTakesMemoryBackFromTheGuest() throws Exception {
        vm.setBalloon(128);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(vm.status().balloonMiB()).isEqualTo(128));
        vm.setBalloon(256);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(vm.status().balloonMiB()).isEqualTo(256));
        assertThatThrownBy(() -> vm.setBalloon(64))
                .isInstanceOf(DeskException.class)
                .hasMessageContaining("96 to 256 MiB")
                .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.INVALID));
    }

    @Test
    @Order(7)
    void aRestartedAgentTakesTheRunningVmOver() throws Exception {
        long pid = vm.status().pid();
        vm.close();

        vm = new QemuDeskVm(spec, stateDir, host);
        DeskVmStatus status = vm.status();
        assertThat(status.state()).isEqualTo(DeskVmState.RUNNING);
        assertThat(status.pid()).isEqualTo(pid);
        vm.pause();
        vm.resume();
        assertThat(console.ask("ping")).isEqualTo("PONG");
    }

    @Test
    @Order(8)
    void saveFreesTheVmAndRestoreBringsTheSameGuestBack() throws Exception {
        assertThat(console.ask("remember before-save 42")).isEqualTo("OK remember");
        double uptime = Double.parseDouble(console.ask("uptime").substring("VALUE ".length()));
        long pid = vm.status().pid();

        vm.save();
        DeskVmStatus saved = vm.status();
        assertThat(saved.state()).isEqualTo(DeskVmState.SAVED);
        assertThat(saved.savedAt()).isNotNull();
        assertThat(saved.pid()).isNull();
        assertProcessGone(pid);
        assertThat(stateDir.resolve("saved.state")).isNotEmptyFile();
        assertRefused(vm::screenshot);
        assertRefused(vm::pause);
        console.close();

        vm.restore();
        assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
        assertThat(stateDir.resolve("saved.state")).doesNotExist();
        console = GuestConsole.attach(vm.serialSocket());
        assertThat(console.ask("recall"))
                .as("a value the guest held only in RAM")
                .isEqualTo("VALUE before-save 42");
        assertThat(Double.parseDouble(console.ask("uptime").substring("VALUE ".length())))
                .as("no reboot")
                .isGreaterThanOrEqualTo(uptime);
    }

    @Test
    @Order(9)
    void aSaveInterruptedByAnAgentCrashIsFinishedByTheNextAgent() throws Exception {
        assertThat(console.ask("remember interrupted 7")).isEqualTo("OK remember");
        long pid = vm.status().pid();
        // The agent dies in the middle of save(): after writing the state, before ending the VM.
        vm.close();
        Path record = stateDir.resolve("desk.json");
        DeskVmRecord.load(record).saving(true).store(record);
        try (QmpConnection qmp = QmpConnection.open(stateDir.resolve("qmp.sock"), Duration.ofSeconds(10))) {
            qmp.execute("stop");
            qmp.execute("migrate", java.util.Map.of("uri", "exec:cat > '" + stateDir.resolve("saved.state") + "'"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            qmp.execute("query-migrate").path("status").asText().equals("completed"));
        }

        vm = new QemuDeskVm(spec, stateDir, host);
        assertThat(vm.status().state()).isEqualTo(DeskVmState.SAVED);
        assertProcessGone(pid);

        console.close();
        vm.start(); // a saved desk is restored, not booted afresh
        console = GuestConsole.attach(vm.serialSocket());
        assertThat(console.ask("recall")).isEqualTo("VALUE interrupted 7");
    }

    @Test
    @Order(10)
    void reimageRefusesWhileTheGuestRuns() throws Exception {
        Object overlayBefore = Files.readAttributes(spec.overlay(), java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
        assertThatThrownBy(() -> vm.reimage(false))
                .isInstanceOf(DeskException.class)
                .hasMessageContaining("is running")
                .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.REFUSED));
        assertThat(Files.readAttributes(spec.overlay(), java.nio.file.attribute.BasicFileAttributes.class)
                        .fileKey())
                .isEqualTo(overlayBefore);
        assertThat(vm.status().state()).isEqualTo(DeskVmState.RUNNING);
    }

    @Test
    @Order(11)
    void stopShutsTheGuestDownThroughItsPowerButton() throws Exception {
        assertThat(console.ask("write-system marker.txt written by the guest")).isEqualTo("OK write-system marker.txt");
        assertThat(console.ask("write-data kept.txt the owner's document")).isEqualTo("OK write-data kept.txt");
        console.close();

        assertThat(vm.stop(Duration.ofSeconds(30))).isEqualTo(StopOutcome.SHUT_DOWN);
        assertThat(vm.status().state()).isEqualTo(DeskVmState.STOPPED);
        assertThat(vm.stop(Duration.ofSeconds(1))).isEqualTo(StopOutcome.WAS_STOPPED);
    }

    @Test
    @Order(12)
    void reimageForgetsTheSystemDiskAndKeepsTheUserData() throws Exception {
        vm.reimage(false);
        assertThat(vm.status().undoAvailable()).isTrue();

        bootAndAttach();
        assertThat(console.ask("cat-system marker.txt")).isEqualTo("MISSING marker.txt");
        assertThat(console.ask("cat-system golden.txt")).isEqualTo("VALUE golden image of the Cyphon test guest");
        assertThat(console.ask("cat-data kept.txt")).isEqualTo("VALUE the owner's document");
    }

    @Test
    @Order(13)
    void aHungGuestIsStillSeenAndPoweredOffByTheHypervisor() throws Exception {
        BufferedImage before = decodePng(vm.screenshot());
        assertThat(console.ask("hang")).isEqualTo("OK hang");
        console.send("ping");
        assertThat(console.nextAnswer(Duration.ofMillis(1500)))
                .as("a hung guest answers nothing")
                .isNull();
        // The hung guest wrote a line on its screen before it stopped: the screenshot is of the screen now.
        BufferedImage hung = decodePng(vm.screenshot());
        assertThat(pixels(hung)).isNotEqualTo(pixels(before));

        long pid = vm.status().pid();
        long began = System.nanoTime();
        vm.poweroff(false);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
        assertThat(vm.status().state()).isEqualTo(DeskVmState.STOPPED);
        assertProcessGone(pid);
        console.close();
    }

    @Test
    @Order(14)
    void undoBringsBackTheSystemDiskBeforeTheReimage() throws Exception {
        vm.undoReimage(false);
        bootAndAttach();
        assertThat(console.ask("cat-system marker.txt")).isEqualTo("VALUE written by the guest");
        assertThat(console.ask("cat-data kept.txt")).isEqualTo("VALUE the owner's document");

        // A guest that no longer hears its power button is powered off when stop's time is up.
        assertThat(console.ask("hang")).isEqualTo("OK hang");
        assertThat(vm.stop(Duration.ofSeconds(2))).isEqualTo(StopOutcome.POWERED_OFF);
        assertThat(vm.status().state()).isEqualTo(DeskVmState.STOPPED);
    }

    /** The VM process has ended, its memory freed (the JVM reaps it, as QEMU is its child, a moment later). */
    private static void assertProcessGone(long pid) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private void bootAndAttach() throws Exception {
        if (console != null) console.close();
        vm.start();
        GuestConsole.awaitReady(vm.serialLog(), BOOT);
        console = GuestConsole.attach(vm.serialSocket());
        assertThat(console.ask("ping")).isEqualTo("PONG");
    }

    /** CPU cores the desk's cgroup used over {@code window}, read from the kernel's own counter. */
    private double coresUsedOver(Duration window) throws Exception {
        long u0 = cgroupUsageNanos();
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis()); // the window the use is measured over, not a wait for a state
        long u1 = cgroupUsageNanos();
        long t1 = System.nanoTime();
        return (double) (u1 - u0) / (t1 - t0);
    }

    private long cgroupUsageNanos() throws Exception {
        Path v1 = Path.of("/sys/fs/cgroup/cpuacct", cgroupParent, name, "cpuacct.usage");
        if (Files.exists(v1)) return Long.parseLong(Files.readString(v1).trim());
        for (String line : Files.readAllLines(Path.of("/sys/fs/cgroup", cgroupParent, name, "cpu.stat"))) {
            if (line.startsWith("usage_usec "))
                return Long.parseLong(line.substring(11).trim()) * 1000;
        }
        throw new AssertionError("no CPU usage counter for the desk's cgroup");
    }

    private static BufferedImage decodePng(byte[] png) throws Exception {
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("ImageIO decodes the PNG").isNotNull();
        return image;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) seen.add(image.getRGB(x, y));
        }
        return seen.size();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(DeskException.class)
                .satisfies(e -> assertThat(((DeskException) e).kind()).isEqualTo(DeskException.Kind.REFUSED));
    }
}
