package org.cyphon.agent.desk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A desk VM run by QEMU directly and driven over QMP: no libvirt, no daemon.
 *
 * <p>Everything about the VM lives in its state directory ({@link DeskFiles}): QEMU's QMP and
 * serial sockets, its pid, the saved state, and {@code desk.json} ({@link DeskVmRecord}). QEMU runs
 * in a session of its own and outlives the agent; a new {@code QemuDeskVm} over the same directory
 * finds the process by its pid (checking its command line carries this desk's name), connects to
 * its QMP socket and carries on, including finishing a save that an agent crash interrupted.
 *
 * <p>Saving uses QEMU's migration into a file ({@code migrate} to {@code exec:cat > FILE}): the
 * guest is paused, its whole state streamed out, the file synced and renamed into place by the
 * same shell, and only then is the VM process ended. So a {@code saved.state} that exists is
 * complete, and a desk is never without both its VM and its state.
 */
public final class QemuDeskVm implements DeskVm {
    private static final Logger log = LoggerFactory.getLogger(QemuDeskVm.class);
    /** sun_path is 108 bytes with the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private static final Duration QMP_CONNECT = Duration.ofSeconds(10);
    private static final Duration QUIT_WAIT = Duration.ofSeconds(5);
    /** How long the shell that waited for QEMU may take to write its exit status. */
    private static final Duration EXIT_STATUS_WAIT = Duration.ofSeconds(2);
    /** How many of QEMU's last log lines a failure keeps. */
    private static final int LOG_LINES = 10;

    private final DeskSpec spec;
    private final DeskFiles files;
    private final DeskHost host;
    private final OverlayImages overlays;
    private final String marker;
    private DeskVmRecord record;
    private QmpConnection qmp;
    private DeskCpuGroup cpuGroup;
    private String cpuGroupProblem;
    /** The CPU weight last set on the running VM; null until the keeper sets one (not kept across starts). */
    private Integer cpuWeight;
    /** The balloon target last set on the running VM; null: none since it started (it has all its memory) or unknown. */
    private Long balloonTarget;

    /**
     * A desk over {@code stateDir} (made if missing). When a VM of this desk still runs from an
     * earlier agent, it is taken over as it is.
     *
     * @throws DeskException INVALID when the state directory cannot hold the desk's sockets
     */
    public QemuDeskVm(DeskSpec spec, Path stateDir, DeskHost host) throws DeskException {
        this.spec = spec;
        this.files = new DeskFiles(stateDir.toAbsolutePath());
        this.host = host;
        this.overlays = new OverlayImages(host.qemuImg());
        this.marker = QemuCommandLine.marker(spec);
        if (files.dir().resolve(DeskFiles.LONGEST_SOCKET_NAME).toString().getBytes(StandardCharsets.UTF_8).length
                > MAX_SOCKET_PATH) {
            throw DeskException.invalid("state directory " + stateDir + " is too long for unix sockets (at most "
                    + (MAX_SOCKET_PATH - DeskFiles.LONGEST_SOCKET_NAME.length() - 1) + " bytes)");
        }
        if (files.dir().toString().contains("'")) {
            // The save command is run by a shell with the path in single quotes (StateFileMigration).
            throw DeskException.invalid("state directory " + stateDir + " must not contain a single quote");
        }
        try {
            Files.createDirectories(files.dir());
            // The saved state is the guest's RAM and the sockets control the VM: the owner's and root's only.
            Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw DeskException.failed("cannot make the desk's state directory " + stateDir + ": " + e.getMessage(), e);
        }
        this.record = DeskVmRecord.load(files.record());
        takeOver();
    }

    public DeskSpec spec() {
        return spec;
    }

    /** The guest's serial console socket (one client at a time); exists while the VM runs. */
    public Path serialSocket() {
        return files.serialSocket();
    }

    /** Everything the guest wrote on its serial console since the VM process started. */
    public Path serialLog() {
        return files.serialLog();
    }

    @Override
    public synchronized DeskVmStatus status() throws DeskException {
        boolean up = alive();
        String qemuStatus = null;
        DeskVmState state;
        Long balloon = null;
        List<Long> threads = List.of();
        Duration usage = null;
        if (up) {
            qemuStatus = qemuStatus();
            state = DeskVmState.ofQemuStatus(qemuStatus);
            balloon = balloonMiB();
            threads = vcpuThreads();
            if (cpuGroup != null) usage = cpuGroup.usage();
        } else if (Files.exists(files.savedState())) {
            state = DeskVmState.SAVED;
        } else {
            state = record.failure() != null ? DeskVmState.FAILED : DeskVmState.STOPPED;
        }
        String failure = null;
        if (state == DeskVmState.FAILED)
            failure = up ? "the guest is dead (qemu: " + qemuStatus + ")" : record.failure();
        String cgroup = cpuGroup != null
                ? cpuGroup.dir().toString()
                : cpuGroupProblem != null ? "none: " + cpuGroupProblem : "none (made when the VM starts)";
        return new DeskVmStatus(
                spec.name(),
                state,
                qemuStatus,
                record.accel(),
                record.accelReason(),
                up ? record.pid() : null,
                up ? record.startedAt() : null,
                spec.overlay(),
                Files.exists(OverlayImages.previous(spec.overlay())),
                state == DeskVmState.SAVED ? record.savedAt() : null,
                record.cpuCapCores(),
                up ? cpuWeight : null,
                balloon,
                usage,
                cgroup,
                threads,
                spec.displayDescription(),
                files.serialSocket(),
                failure,
                up ? balloonTarget : null);
    }

    @Override
    public synchronized void start() throws DeskException {
        if (alive())
            throw DeskException.refused("desk " + spec.name() + " is already running (qemu pid " + record.pid() + ")");
        if (Files.exists(files.savedState())) {
            log.info("desk {}: has a saved state, restoring it instead of booting", spec.name());
            restoreSaved();
            return;
        }
        checkFiles();
        overlays.createIfMissing(spec.goldenImage(), spec.overlay());
        AccelChoice choice = AccelChoice.choose(spec.name(), spec.accel(), host.qemuSystem());
        launch(choice, false);
        log.info(
                "desk {}: started under {} (qemu pid {}; {})",
                spec.name(),
                choice.accel().configName(),
                record.pid(),
                choice.reason());
    }

    @Override
    public synchronized StopOutcome stop(Duration timeout) throws DeskException {
        if (!alive()) return StopOutcome.WAS_STOPPED;
        long pid = record.pid();
        try {
            // A paused guest cannot hear the power button.
            if (!qemuStatus().equals("running")) qmp().execute("cont");
            qmp().execute("system_powerdown");
        } catch (IOException | DeskException e) {
            log.warn("desk {}: power button not delivered ({}); powering off", spec.name(), e.getMessage());
            pullThePlug();
            return StopOutcome.POWERED_OFF;
        }
        if (QemuProcess.awaitExit(pid, marker, timeout)) {
            afterExit();
            log.info("desk {}: guest shut down", spec.name());
            return StopOutcome.SHUT_DOWN;
        }
        pullThePlug();
        log.info("desk {}: guest did not shut down within {} s; powered off", spec.name(), timeout.toSeconds());
        return StopOutcome.POWERED_OFF;
    }

    @Override
    public synchronized void pause() throws DeskException {
        requireQemuStatus("pause", "running");
        execute("stop");
        log.info("desk {}: paused", spec.name());
    }

    @Override
    public synchronized void resume() throws DeskException {
        requireQemuStatus("resume", "paused");
        execute("cont");
        log.info("desk {}: resumed", spec.name());
    }

    @Override
    public synchronized void save() throws DeskException {
        if (!alive()) {
            throw DeskException.refused("desk " + spec.name()
                    + (Files.exists(files.savedState()) ? " is already saved" : " has no VM running to save"));
        }
        String status = qemuStatus();
        if (!status.equals("running") && !status.equals("paused")) {
            throw DeskException.refused("desk " + spec.name() + " cannot be saved while qemu is " + status);
        }
        boolean wasRunning = status.equals("running");
        record = record.saving(wasRunning);
        record.store(files.record());
        long pid = record.pid();
        Instant began = Instant.now();
        try {
            if (wasRunning) qmp().execute("stop");
            StateFileMigration.save(qmp(), files.savedStatePartial(), files.savedState(), migrationLimit());
        } catch (IOException | DeskException e) {
            deleteQuietly(files.savedStatePartial());
            deleteQuietly(files.savedState());
            resumeQuietly(wasRunning);
            throw DeskException.failed(
                    "desk " + spec.name() + ": save failed, the guest goes on: " + e.getMessage(), e);
        }
        quitQemu(pid);
        record = record.saved(Instant.now(), wasRunning);
        record.store(files.record());
        log.info(
                "desk {}: saved ({} MiB state in {} ms); its memory is free",
                spec.name(),
                sizeMiB(files.savedState()),
                Duration.between(began, Instant.now()).toMillis());
    }

    @Override
    public synchronized void restore() throws DeskException {
        if (alive())
            throw DeskException.refused(
                    "desk " + spec.name() + " is running (qemu pid " + record.pid() + "): there is nothing to restore");
        restoreSaved();
    }

    @Override
    public synchronized void reimage(boolean force) throws DeskException {
        clearForDiskChange("reimage", force);
        checkFiles();
        overlays.reimage(spec);
    }

    @Override
    public synchronized void undoReimage(boolean force) throws DeskException {
        OverlayImages.requirePrevious(spec);
        clearForDiskChange("undo a reimage", force);
        overlays.undo(spec);
    }

    @Override
    public synchronized byte[] screenshot() throws DeskException {
        if (!alive()) throw DeskException.refused("desk " + spec.name() + " has no VM running: no screen to take");
        Path dump = files.screendump();
        try {
            Files.deleteIfExists(dump);
            qmp().execute("screendump", Map.of("filename", dump.toString()));
            return PpmToPng.convert(Files.readAllBytes(dump));
        } catch (IOException e) {
            throw DeskException.failed("desk " + spec.name() + ": screenshot failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dump);
        }
    }

    @Override
    public synchronized void poweroff(boolean discardSavedState) throws DeskException {
        boolean up = alive();
        if (!up && Files.exists(files.savedState()) && !discardSavedState) {
            throw DeskException.refused("desk " + spec.name() + " is saved: powering it off would throw away the"
                    + " guest's saved memory (its open programs and unsaved work). Restore it, or power it off"
                    + " with --discard-saved-state");
        }
        if (up) {
            pullThePlug();
            log.info("desk {}: powered off", spec.name());
        }
        if (Files.exists(files.savedState())) discardSavedState();
        if (record.failure() != null) {
            // Powering a failed desk off is the administrator's word that they have seen it: now it is stopped.
            record = record.withoutFailure();
            record.store(files.record());
        }
    }

    @Override
    public synchronized void setCpuCap(Double cores) throws DeskException {
        if (cores != null && (cores.isNaN() || cores < 0.01 || cores > spec.vcpus())) {
            throw DeskException.invalid(
                    "CPU cap " + cores + " is not between 0.01 and the desk's " + spec.vcpus() + " vCPUs");
        }
        DeskCpuGroup group = cpuGroup();
        if (group == null)
            throw DeskException.failed("desk " + spec.name() + " has no cgroup to cap: " + cpuGroupProblem);
        if (alive()) group.cap(cores);
        record = record.withCpuCap(cores);
        record.store(files.record());
        log.info("desk {}: CPU cap {}", spec.name(), cores == null ? "lifted" : cores + " cores");
    }

    @Override
    public synchronized void setCpuWeight(int weight) throws DeskException {
        checkWeight(weight);
        if (!alive()) throw DeskException.refused("desk " + spec.name() + " has no VM running");
        DeskCpuGroup group = cpuGroup();
        if (group == null)
            throw DeskException.failed("desk " + spec.name() + " has no cgroup to weigh: " + cpuGroupProblem);
        group.weight(weight);
        cpuWeight = weight;
        log.debug("desk {}: CPU weight {}", spec.name(), weight);
    }

    static void checkWeight(int weight) throws DeskException {
        if (weight < 1 || weight > 10_000)
            throw DeskException.invalid("CPU weight " + weight + " is not between 1 and 10000");
    }

    @Override
    public synchronized void setBalloon(long mib) throws DeskException {
        if (mib < spec.memoryMinMiB() || mib > spec.memoryMaxMiB()) {
            throw DeskException.invalid("balloon target " + mib + " MiB is outside the desk's " + spec.memoryMinMiB()
                    + " to " + spec.memoryMaxMiB() + " MiB");
        }
        if (!alive()) throw DeskException.refused("desk " + spec.name() + " has no VM running");
        execute("balloon", Map.of("value", mib << 20));
        balloonTarget = mib;
        log.info("desk {}: balloon target {} MiB", spec.name(), mib);
    }

    @Override
    public synchronized void close() {
        closeQmp();
    }

    // --- starting, restoring, ending ---------------------------------------------------------

    private void launch(AccelChoice choice, boolean incoming) throws DeskException {
        deleteQuietly(files.serialSocket());
        DeskDisplay.beforeLaunch(spec.display(), files.spiceSecret());
        // A saved state loads only into the machine that saved it: one an earlier agent started
        // (no shape written) lacks the devices added since, until the guest boots afresh.
        boolean afterward = !incoming || savedWithInputChannel();
        List<String> argv = QemuCommandLine.of(host.qemuSystem(), spec, files, choice.accel(), incoming, afterward);
        writeShape(afterward);
        long pid = QemuProcess.launch(argv, files.pidFile(), files.qmpSocket(), files.qemuLog(), files.exitStatus());
        balloonTarget = null;
        record = record.started(pid, choice.accel(), choice.reason(), Instant.now());
        record.store(files.record());
        try {
            qmp();
            DeskDisplay.afterLaunch(spec.display(), files.spiceSecret());
        } catch (DeskException e) {
            pullThePlug();
            throw e;
        }
        joinCpuGroup(pid);
    }

    private boolean savedWithInputChannel() {
        try {
            return Files.readString(files.machineShape()).strip().equals(DeskFiles.MACHINE_WITH_INPUT_CHANNEL);
        } catch (IOException e) {
            return false; // none: saved by an agent from before the input channel
        }
    }

    private void writeShape(boolean afterward) throws DeskException {
        try {
            if (afterward) Files.writeString(files.machineShape(), DeskFiles.MACHINE_WITH_INPUT_CHANNEL + "\n");
            else Files.deleteIfExists(files.machineShape());
        } catch (IOException e) {
            throw DeskException.failed("cannot write " + files.machineShape() + ": " + e.getMessage(), e);
        }
        if (!afterward)
            log.info(
                    "desk {}: restoring a state saved before the guest's input channel: without it until the guest boots afresh",
                    spec.name());
    }

    private void restoreSaved() throws DeskException {
        if (!Files.exists(files.savedState()))
            throw DeskException.refused("desk " + spec.name() + " has no saved state");
        checkFiles();
        AccelChoice choice =
                AccelChoice.forRestore(spec.name(), record.accel(), record.accelReason(), host.qemuSystem());
        Instant began = Instant.now();
        launch(choice, true);
        long pid = record.pid();
        try {
            StateFileMigration.load(qmp(), files.savedState(), migrationLimit());
            if (record.runningAtSave()) qmp().execute("cont");
        } catch (IOException | DeskException e) {
            String qemuSaid =
                    QemuProcess.isAlive(pid, marker) ? "" : " (qemu: " + QemuProcess.errorText(files.qemuLog()) + ")";
            pullThePlug();
            throw DeskException.failed(
                    "desk " + spec.name() + ": restore failed, the saved state is kept: " + e.getMessage() + qemuSaid,
                    e);
        }
        deleteQuietly(files.savedState());
        record = record.restored();
        record.store(files.record());
        log.info(
                "desk {}: restored in {} ms (qemu pid {})",
                spec.name(),
                Duration.between(began, Instant.now()).toMillis(),
                pid);
    }

    /** Generous: a multi-GiB guest onto a slow disk. */
    private Duration migrationLimit() {
        return Duration.ofSeconds(60 + spec.memoryMaxMiB() / 20);
    }

    /** Ends QEMU through QMP (it is in a consistent state), or by SIGKILL when it does not answer. */
    private void quitQemu(long pid) throws DeskException {
        try {
            qmp().execute("quit", Map.of(), Duration.ofSeconds(2));
        } catch (IOException | DeskException e) {
            // The connection may close before the answer arrives; what counts is that the process goes.
        }
        if (!QemuProcess.awaitExit(pid, marker, QUIT_WAIT)) {
            QemuProcess.kill(pid);
            if (!QemuProcess.awaitExit(pid, marker, QUIT_WAIT))
                throw DeskException.failed("qemu pid " + pid + " does not exit even after SIGKILL");
        }
        afterExit();
    }

    /** Power off without asking the guest: QMP quit, SIGKILL when QEMU itself no longer answers. */
    private void pullThePlug() throws DeskException {
        Long pid = record.pid();
        if (pid == null) return;
        quitQemu(pid);
    }

    /** Bookkeeping once the VM process is gone, whoever ended it. */
    private void afterExit() {
        closeQmp();
        record = record.exited();
        try {
            record.store(files.record());
        } catch (DeskException e) {
            log.warn("desk {}: {}", spec.name(), e.getMessage());
        }
        deleteQuietly(files.qmpSocket());
        deleteQuietly(files.serialSocket());
        deleteQuietly(files.pidFile());
        if (cpuGroup != null) cpuGroup.removeIfEmpty();
        cpuGroup = null;
    }

    /** Makes way for an overlay change: refuses with a running VM or a saved state unless forced. */
    private void clearForDiskChange(String what, boolean force) throws DeskException {
        boolean up = alive();
        boolean saved = Files.exists(files.savedState());
        if (up && !force) {
            throw DeskException.refused("desk " + spec.name() + " is running: stop it before you " + what
                    + ", or force it (which powers the guest off)");
        }
        if (saved && !force) {
            throw DeskException.refused("desk " + spec.name()
                    + " has a saved state, which would not match the new disk: restore and stop it before you " + what
                    + ", or force it (which discards the saved state)");
        }
        if (up) {
            pullThePlug();
            log.info("desk {}: powered off to {}", spec.name(), what);
        }
        if (saved) discardSavedState();
    }

    private void discardSavedState() throws DeskException {
        try {
            Files.deleteIfExists(files.savedState());
        } catch (IOException e) {
            throw DeskException.failed(
                    "cannot delete the saved state " + files.savedState() + ": " + e.getMessage(), e);
        }
        record = record.restored();
        record.store(files.record());
        log.info("desk {}: saved state discarded", spec.name());
    }

    /**
     * Makes the record agree with what is there after an agent restart: a VM that died meanwhile,
     * and a save interrupted between writing the state and ending the VM.
     */
    private void takeOver() throws DeskException {
        deleteQuietly(files.savedStatePartial());
        boolean up = alive();
        if (up) {
            log.info("desk {}: taking over the running VM (qemu pid {})", spec.name(), record.pid());
            joinCpuGroup(record.pid());
        }
        if (!Files.exists(files.savedState())) return;
        if (up) {
            if (qemuStatus().equals("postmigrate")) {
                // The state was complete (it was renamed into place); only ending the VM was left.
                log.info("desk {}: finishing a save interrupted by an agent restart", spec.name());
                boolean wasRunning = record.runningAtSave();
                quitQemu(record.pid());
                record = record.saved(modified(files.savedState()), wasRunning);
                record.store(files.record());
            } else {
                log.warn("desk {}: discarding a saved state older than the running VM", spec.name());
                discardSavedState();
            }
        } else if (record.savedAt() == null) {
            record = record.saved(modified(files.savedState()), record.runningAtSave());
            record.store(files.record());
        }
    }

    private void joinCpuGroup(long pid) {
        DeskCpuGroup group = cpuGroup();
        if (group == null) {
            log.warn("desk {}: no cgroup, so no CPU accounting or cap: {}", spec.name(), cpuGroupProblem);
            return;
        }
        try {
            group.add(pid);
            group.cap(record.cpuCapCores());
            // A new QEMU starts at the group's weight of before; the keeper sets the right one.
            cpuWeight = null;
        } catch (DeskException e) {
            cpuGroupProblem = e.getMessage();
            cpuGroup = null;
            log.warn("desk {}: no CPU accounting or cap: {}", spec.name(), e.getMessage());
        }
    }

    private DeskCpuGroup cpuGroup() {
        if (cpuGroup == null) {
            try {
                cpuGroup = DeskCpuGroup.open(host.cgroupRoot(), host.cgroupParent(), spec.name());
                cpuGroupProblem = null;
            } catch (DeskException e) {
                cpuGroupProblem = e.getMessage();
            }
        }
        return cpuGroup;
    }

    // --- QMP ---------------------------------------------------------------------------------

    /**
     * True when this desk's QEMU runs; notices (and books) a VM that went away by itself: with exit
     * status 0 the guest shut down (the desk is stopped); anything else, a crash or a kill, and the
     * desk is failed, with the status and the last lines of QEMU's log, until an administrator
     * starts it again or powers it off.
     */
    private boolean alive() {
        Long pid = record.pid();
        if (pid == null) return false;
        if (QemuProcess.isAlive(pid, marker)) return true;
        Integer status = QemuProcess.exitStatus(files.exitStatus(), EXIT_STATUS_WAIT);
        afterExit();
        if (status != null && status == 0) {
            log.info("desk {}: qemu (pid {}) has exited: the guest shut down", spec.name(), pid);
            return false;
        }
        String how = "qemu (pid " + pid + ") "
                + (status == null
                        ? "exited with an unknown status (the shell that waited for it is gone too)"
                        : QemuProcess.describeExit(status))
                + "; last lines of " + files.qemuLog() + ": "
                + String.join(" | ", QemuProcess.lastLines(files.qemuLog(), LOG_LINES));
        log.warn("desk {}: failed: {}", spec.name(), how);
        record = record.failed(Instant.now(), how);
        try {
            record.store(files.record());
        } catch (DeskException e) {
            log.warn("desk {}: {}", spec.name(), e.getMessage());
        }
        return false;
    }

    private QmpConnection qmp() throws DeskException {
        if (qmp != null && qmp.isOpen()) return qmp;
        closeQmp();
        long pid = record.pid() == null ? -1 : record.pid();
        try {
            qmp = QmpConnection.open(files.qmpSocket(), QMP_CONNECT, () -> QemuProcess.isAlive(pid, marker));
            return qmp;
        } catch (IOException e) {
            String qemuSaid =
                    QemuProcess.isAlive(pid, marker) ? "" : "; qemu said: " + QemuProcess.errorText(files.qemuLog());
            throw DeskException.failed(
                    "desk " + spec.name() + ": cannot talk to qemu (pid " + pid + "): " + e.getMessage() + qemuSaid, e);
        }
    }

    private JsonNode execute(String command, Map<String, ?> arguments) throws DeskException {
        try {
            return qmp().execute(command, arguments);
        } catch (IOException e) {
            throw DeskException.failed("desk " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private JsonNode execute(String command) throws DeskException {
        return execute(command, Map.of());
    }

    private String qemuStatus() throws DeskException {
        return execute("query-status").path("status").asText("unknown");
    }

    private void requireQemuStatus(String operation, String wanted) throws DeskException {
        if (!alive()) throw DeskException.refused("desk " + spec.name() + " has no VM running: cannot " + operation);
        String status = qemuStatus();
        if (!status.equals(wanted)) {
            throw DeskException.refused(
                    "desk " + spec.name() + " is " + status + ", not " + wanted + ": cannot " + operation);
        }
    }

    private Long balloonMiB() {
        try {
            return qmp().execute("query-balloon").path("actual").asLong() >> 20;
        } catch (IOException | DeskException e) {
            return null; // no balloon device, or its driver not loaded in the guest
        }
    }

    private List<Long> vcpuThreads() throws DeskException {
        List<Long> ids = new ArrayList<>();
        for (JsonNode cpu : execute("query-cpus-fast"))
            ids.add(cpu.path("thread-id").asLong());
        return ids;
    }

    private void resumeQuietly(boolean wasRunning) {
        if (!wasRunning) return;
        try {
            qmp().execute("cont");
        } catch (IOException | DeskException e) {
            log.warn("desk {}: cannot resume after a failed save: {}", spec.name(), e.getMessage());
        }
    }

    private void closeQmp() {
        if (qmp != null) qmp.close();
        qmp = null;
    }

    // --- small things ------------------------------------------------------------------------

    private void checkFiles() throws DeskException {
        try {
            spec.checkFiles();
        } catch (InvalidDeskSpecException e) {
            throw DeskException.invalid("desk " + spec.name() + ": " + e.getMessage());
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    private static long sizeMiB(Path file) {
        try {
            return Files.size(file) >> 20;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Left-overs (a socket, a partial state) are replaced by the next start or save.
        }
    }
}
