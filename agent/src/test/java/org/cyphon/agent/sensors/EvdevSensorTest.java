package org.cyphon.agent.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cyphon.agent.sensors.InputEventBytes.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evdev sensor reading real {@code input_event} bytes. This machine has no input devices (and
 * its kernel has no uinput to make one), so each device is a FIFO standing in for the device node,
 * with its sysfs description beside it ({@link FifoInputDevice}); the sensor's code is the code
 * that reads /dev/input on a desk.
 */
class EvdevSensorTest {

    @TempDir
    Path dir;

    private Path input;
    private Path sys;
    private final List<OwnerSignal> signals = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @BeforeEach
    void dirs() throws Exception {
        input = Files.createDirectories(dir.resolve("dev/input"));
        sys = Files.createDirectories(dir.resolve("sys/class/input"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    @Test
    void evdevReadsRealInputEventBytesFromAFifoStandingInForAKeyboard() throws Exception {
        FifoInputDevice keyboard = device("event3", "at-keyboard");
        EvdevSensor sensor = started(new EvdevSensor(input, sys, Clock.systemUTC()));
        String source = "evdev:" + keyboard.node;

        assertThat(sensor.devices()).containsEntry(keyboard.node, "keyboard");
        assertThat(sensor.status()).isEqualTo("ok");
        await().atMost(10, TimeUnit.SECONDS).until(() -> !seen(source).isEmpty());
        assertThat(seen(source).getFirst().lastInput())
                .as("known device, no input yet")
                .isNull();

        Instant pressed = Instant.now().truncatedTo(ChronoUnit.MICROS);
        keyboard.write(InputEventBytes.layout64().keyPress(pressed, KEY_A).bytes());

        await().atMost(10, TimeUnit.SECONDS).until(() -> lastInputs(source).contains(pressed));
        assertThat(lastInputs(source)).containsExactly(pressed); // scan code and sync added nothing
    }

    @Test
    void aKeyboardPluggedInAfterStartIsPickedUp() throws Exception {
        EvdevSensor sensor = started(new EvdevSensor(input, sys, Clock.systemUTC()));
        assertThat(sensor.status()).startsWith("no keyboard or mouse");

        FifoInputDevice mouse = device("event11", "usb-mouse");
        await().atMost(10, TimeUnit.SECONDS).until(() -> sensor.devices().containsKey(mouse.node));
        Instant moved = Instant.now().truncatedTo(ChronoUnit.MICROS);
        mouse.write(InputEventBytes.layout64()
                .event(moved, EV_REL, REL_X, -3)
                .event(moved, EV_SYN, SYN_REPORT, 0)
                .bytes());

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> lastInputs("evdev:" + mouse.node).contains(moved));
        assertThat(sensor.devices()).containsEntry(mouse.node, "pointer");
        assertThat(sensor.status()).isEqualTo("ok");
    }

    @Test
    void syncScanCodeLedAndAutoRepeatEventsAreIgnored() throws Exception {
        FifoInputDevice keyboard = device("event3", "at-keyboard");
        started(new EvdevSensor(input, sys, Clock.systemUTC()));
        String source = "evdev:" + keyboard.node;
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);

        keyboard.write(InputEventBytes.layout64()
                .event(t, EV_SYN, SYN_REPORT, 0)
                .event(t.plusMillis(100), EV_MSC, MSC_SCAN, 0x1e)
                .event(t.plusMillis(200), EV_KEY, KEY_A, 2) // auto-repeat of a key held down
                .event(t.plusMillis(300), EV_LED, LED_CAPSL, 1)
                .event(t.plusMillis(400), EV_KEY, KEY_POWER, 1)
                .event(t.plusMillis(900), EV_KEY, KEY_A, 0) // the release: a real hand
                .bytes());

        // Bytes of one FIFO are read in order: when the release is seen, the noise before it was too.
        await().atMost(10, TimeUnit.SECONDS).until(() -> lastInputs(source).contains(t.plusMillis(900)));
        assertThat(lastInputs(source)).containsExactly(t.plusMillis(900));
    }

    @Test
    void powerButtonLidSwitchAccelerometerAndVideoBusAreNotRead() throws Exception {
        FifoInputDevice power = device("event0", "power-button");
        FifoInputDevice lid = device("event1", "lid-switch");
        FifoInputDevice accel = device("event2", "accelerometer");
        FifoInputDevice video = device("event4", "video-bus");
        FifoInputDevice touchpad = device("event5", "touchpad");
        EvdevSensor sensor = started(new EvdevSensor(input, sys, Clock.systemUTC()));
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);

        power.write(InputEventBytes.layout64().event(t, EV_KEY, KEY_POWER, 1).bytes());
        lid.write(InputEventBytes.layout64().event(t, EV_SW, SW_LID, 1).bytes());
        accel.write(InputEventBytes.layout64().event(t, EV_ABS, ABS_X, 12).bytes());
        video.write(InputEventBytes.layout64().event(t, EV_KEY, 225, 1).bytes());
        touchpad.write(InputEventBytes.layout64()
                .event(t, EV_ABS, ABS_X, 1200)
                .event(t, EV_SYN, SYN_REPORT, 0)
                .bytes());

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> lastInputs("evdev:" + touchpad.node).contains(t));
        assertThat(sensor.devices()).containsOnlyKeys(touchpad.node);
        assertThat(signals).allMatch(s -> s.source().equals("evdev:" + touchpad.node));
    }

    @Test
    void aMovingMouseIsRateLimitedButTheFirstMoveAfterAPauseGoesOutAtOnce() throws Exception {
        FifoInputDevice mouse = device("event6", "usb-mouse");
        started(new EvdevSensor(input, sys, Clock.systemUTC()));
        String source = "evdev:" + mouse.node;
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);

        InputEventBytes moves = InputEventBytes.layout64();
        for (int ms = 0; ms < 100; ms++) { // a mouse reporting at 1000 Hz for 100 ms
            moves.event(t.plusMillis(ms), EV_REL, REL_X, 1).event(t.plusMillis(ms), EV_SYN, SYN_REPORT, 0);
        }
        moves.event(t.plusMillis(1000), EV_REL, REL_X, 1); // after a pause
        mouse.write(moves.bytes());

        await().atMost(10, TimeUnit.SECONDS).until(() -> lastInputs(source).contains(t.plusMillis(1000)));
        assertThat(lastInputs(source)).containsExactly(t, t.plusMillis(50), t.plusMillis(1000));
    }

    @Test
    void theThirtyTwoBitEventLayoutIsReadToo() throws Exception {
        FifoInputDevice keyboard = device("event3", "at-keyboard");
        started(new EvdevSensor(input, sys, InputEventLayout.BITS_32, 64, Clock.systemUTC()));
        Instant pressed = Instant.now().truncatedTo(ChronoUnit.MICROS);

        keyboard.write(InputEventBytes.layout32().keyPress(pressed, KEY_A).bytes());

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> lastInputs("evdev:" + keyboard.node).contains(pressed));
    }

    @Test
    void anEventStampedFarFromNowCountsAsNow() throws Exception {
        FifoInputDevice keyboard = device("event3", "at-keyboard");
        started(new EvdevSensor(input, sys, Clock.systemUTC()));
        Instant before = Instant.now();

        keyboard.write(InputEventBytes.layout64().keyPress(Instant.EPOCH, KEY_A).bytes());

        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> !lastInputs("evdev:" + keyboard.node).isEmpty());
        assertThat(lastInputs("evdev:" + keyboard.node).getFirst()).isBetween(before, Instant.now());
    }

    @Test
    void anUnpluggedDeviceIsNoLongerReadAndItsReplacementIs() throws Exception {
        FifoInputDevice first = device("event3", "at-keyboard");
        EvdevSensor sensor = started(new EvdevSensor(input, sys, Clock.systemUTC()));
        // Read for real before the unplug: the FIFO standing in for the node blocks its reader's open
        // until a writer is there, so a writer gone before that open (a loaded machine: seen in a full
        // run) would leave the reader waiting forever, which a real evdev node never does.
        Instant typed = Instant.now().truncatedTo(ChronoUnit.MICROS);
        first.write(InputEventBytes.layout64().keyPress(typed, KEY_A).bytes());
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> lastInputs("evdev:" + first.node).contains(typed));

        first.close(); // the node goes away; the reader sees the end of its stream
        await().atMost(10, TimeUnit.SECONDS).until(() -> sensor.devices().isEmpty());

        try (var tree = Files.walk(sys.resolve("event3"))) {
            tree.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        FifoInputDevice again = device("event3", "at-keyboard");
        await().atMost(10, TimeUnit.SECONDS).until(() -> sensor.devices().containsKey(again.node));
        Instant pressed = Instant.now().truncatedTo(ChronoUnit.MICROS);
        again.write(InputEventBytes.layout64().keyPress(pressed, KEY_A).bytes());
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> lastInputs("evdev:" + again.node).contains(pressed));
    }

    @Test
    void withoutAnInputDirectoryTheSensorDoesNotStartAndSaysWhy() {
        EvdevSensor sensor = new EvdevSensor(dir.resolve("no-such-input"), sys, Clock.systemUTC());
        open.add(sensor);

        assertThat(sensor.start(signals::add)).isFalse();
        assertThat(sensor.status()).contains("no-such-input");
    }

    private FifoInputDevice device(String node, String description) throws Exception {
        FifoInputDevice d = FifoInputDevice.add(input, sys, node, description);
        open.add(d);
        return d;
    }

    private EvdevSensor started(EvdevSensor sensor) {
        open.add(sensor);
        assertThat(sensor.start(signals::add)).isTrue();
        return sensor;
    }

    private List<InputSeen> seen(String source) {
        return signals.stream()
                .filter(s -> s instanceof InputSeen && s.source().equals(source))
                .map(s -> (InputSeen) s)
                .toList();
    }

    private List<Instant> lastInputs(String source) {
        return seen(source).stream()
                .map(InputSeen::lastInput)
                .filter(Objects::nonNull)
                .toList();
    }
}
