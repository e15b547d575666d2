package org.cyphon.agent.sensors;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyboards, mice and touchpads read straight from the kernel's evdev nodes
 * ({@code /dev/input/eventN}): the one source that sees every keyboard (USB, Bluetooth, PS/2) and
 * needs no X server, no session and no D-Bus. Each real input event becomes an {@link InputSeen}
 * at once, with source {@code evdev:/dev/input/eventN} (see {@link EvdevDeviceReader}).
 *
 * <p>Devices are classified from sysfs ({@link InputDeviceKind}); power buttons, lid switches and
 * accelerometers are not opened. The input directory is watched (inotify, through the JDK's
 * {@link WatchService}), so a keyboard plugged in later is read from the moment its node appears.
 *
 * <p>Reading evdev nodes needs root (or the {@code input} group).
 */
public final class EvdevSensor implements Sensor {

    private static final Logger log = LoggerFactory.getLogger(EvdevSensor.class);
    private static final Pattern EVENT_NODE = Pattern.compile("event\\d+");

    private final Path inputDir;
    private final Path sysClassInput;
    private final InputEventLayout layout;
    private final int wordBits;
    private final Clock clock;
    private final Map<Path, EvdevDeviceReader> readers = new ConcurrentHashMap<>();
    private final Map<Path, String> unreadable = new ConcurrentHashMap<>();
    private volatile Consumer<OwnerSignal> sink;
    private volatile WatchService watch;
    private volatile String unavailable;
    private volatile boolean closed;

    /**
     * @param inputDir      where device nodes appear: {@code /dev/input}
     * @param sysClassInput where sysfs describes them: {@code /sys/class/input}
     */
    public EvdevSensor(Path inputDir, Path sysClassInput, Clock clock) {
        this(inputDir, sysClassInput, InputEventLayout.ofThisProcess(), InputCapabilities.kernelWordBits(), clock);
    }

    EvdevSensor(Path inputDir, Path sysClassInput, InputEventLayout layout, int wordBits, Clock clock) {
        this.inputDir = inputDir;
        this.sysClassInput = sysClassInput;
        this.layout = layout;
        this.wordBits = wordBits;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "evdev";
    }

    @Override
    public boolean start(Consumer<OwnerSignal> sink) {
        this.sink = sink;
        if (!Files.isDirectory(inputDir)) {
            unavailable = "no " + inputDir + " on this machine";
            log.info("sensor evdev unavailable: {}", unavailable);
            return false;
        }
        try {
            // Watch before listing, so a device appearing in between is seen by one or the other.
            watch = inputDir.getFileSystem().newWatchService();
            inputDir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
        } catch (IOException e) {
            unavailable = "cannot watch " + inputDir + ": " + e.getMessage();
            log.info("sensor evdev unavailable: {}", unavailable);
            return false;
        }
        scan();
        Thread watcher = new Thread(this::watchForDevices, "evdev-watch");
        watcher.setDaemon(true);
        watcher.start();
        log.info("sensor evdev started on {}: {} device(s) read", inputDir, readers.size());
        return true;
    }

    @Override
    public String status() {
        if (unavailable != null) return unavailable;
        if (!unreadable.isEmpty()) return String.join("; ", unreadable.values());
        if (readers.isEmpty()) return "no keyboard or mouse in " + inputDir + " yet";
        return "ok";
    }

    /** The device nodes being read now, with what each was classified as; for status and tests. */
    public Map<Path, String> devices() {
        Map<Path, String> out = new TreeMap<>();
        readers.forEach((path, reader) -> out.put(path, reader.kind().name().toLowerCase(Locale.ROOT)));
        return out;
    }

    private void watchForDevices() {
        try {
            while (!closed) {
                WatchKey key = watch.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        scan();
                    } else if (event.context() instanceof Path name) {
                        consider(inputDir.resolve(name));
                    }
                }
                if (!key.reset()) {
                    log.warn(
                            "evdev: {} can no longer be watched; devices plugged in from now on are not seen",
                            inputDir);
                    return;
                }
            }
        } catch (ClosedWatchServiceException e) {
            // close(): a normal end.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void scan() {
        List<Path> nodes = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(inputDir, "event*")) {
            dir.forEach(nodes::add);
        } catch (IOException e) {
            log.warn("evdev: cannot list {}", inputDir, e);
        }
        nodes.forEach(this::consider);
    }

    /** Starts reading a node that appeared, unless it is already read or is not a keyboard or pointer. */
    private synchronized void consider(Path node) {
        if (closed || !EVENT_NODE.matcher(node.getFileName().toString()).matches()) return;
        Object fileKey;
        try {
            fileKey = Files.readAttributes(node, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return; // gone again already
        }
        EvdevDeviceReader running = readers.get(node);
        if (running != null) {
            // The same node seen twice (listed and watched); a new node under an old name replaces it.
            if (running.fileKey() != null && running.fileKey().equals(fileKey) && running.isAlive()) return;
            running.close();
        }
        InputDeviceKind kind;
        String description;
        try {
            InputCapabilities caps = InputCapabilities.read(
                    sysClassInput.resolve(node.getFileName()).resolve("device"), wordBits);
            kind = InputDeviceKind.of(caps);
            description = "\"" + caps.name() + "\"";
        } catch (NoSuchFileException e) {
            kind = InputDeviceKind.UNKNOWN;
            description = "(not described in " + sysClassInput + ")";
        } catch (IOException | RuntimeException e) {
            kind = InputDeviceKind.UNKNOWN;
            description = "(unreadable capabilities: " + e.getMessage() + ")";
        }
        if (!kind.isRead()) {
            log.info("evdev: {} {} appeared: not a keyboard or pointer, ignored", node, description);
            return;
        }
        log.info(
                "evdev: {} {} appeared: {}, reading",
                node,
                description,
                kind.name().toLowerCase(Locale.ROOT));
        unreadable.remove(node);
        EvdevDeviceReader reader = new EvdevDeviceReader(node, fileKey, kind, layout, clock, sink, this::ended);
        readers.put(node, reader);
        reader.start();
    }

    private void ended(EvdevDeviceReader reader) {
        readers.remove(reader.device(), reader);
        if (reader.failure() != null && !closed) unreadable.put(reader.device(), reader.failure());
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        WatchService w = watch;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                log.debug("evdev: closing watch", e);
            }
        }
        readers.values().forEach(EvdevDeviceReader::close);
        readers.clear();
        log.info("sensor evdev stopped");
    }
}
