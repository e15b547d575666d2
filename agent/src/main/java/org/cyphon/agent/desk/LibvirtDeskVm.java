package org.cyphon.agent.desk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A desk VM run by libvirt, driven through {@code virsh}: for sites that already manage their VMs
 * with libvirt (virt-manager, their own tooling), where the VM should show up there too.
 *
 * <p>The agent owns the domain {@code cyphon-desk-NAME}: it defines it from {@link LibvirtDomainXml}
 * on every fresh start (so a change to {@code [desk]} applies at the next start, as with the QEMU
 * backend), keeping the UUID libvirt first gave it. Saving is libvirt's managed save, which frees the
 * VM's memory and which {@code virsh start} restores; the CPU cap is libvirt's whole-VM CFS quota
 * ({@code global_quota}); screenshots come from libvirt's {@code screenshot}, from the hypervisor.
 *
 * <p>libvirt runs QEMU as its own user (Debian: {@code libvirt-qemu}) and hands it the disk images
 * (dynamic ownership), so the golden image and the directories above all of the desk's files must
 * be readable by that user.
 */
public final class LibvirtDeskVm implements DeskVm {
    private static final Logger log = LoggerFactory.getLogger(LibvirtDeskVm.class);
    private static final Duration STATE_POLL = Duration.ofMillis(200);
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    private final DeskSpec spec;
    private final DeskFiles files;
    private final DeskHost host;
    private final Virsh virsh;
    private final OverlayImages overlays;
    private final String domain;
    private DeskVmRecord record;
    /** The CPU weight last set on the running domain; null until the keeper sets one (not kept across starts). */
    private Integer cpuWeight;

    /** The domain as libvirt says it is now. */
    private record Domain(boolean defined, String state, String reason, boolean managedSave) {
        /** A VM process exists (libvirt's "shut off" is the only state without one). */
        boolean active() {
            return defined && !state.equals("shut off");
        }

        boolean running() {
            return state.equals("running")
                    || state.equals("idle")
                    || state.equals("blocked")
                    || state.equals("in shutdown");
        }

        boolean paused() {
            return state.equals("paused") || state.equals("pmsuspended");
        }

        DeskVmState deskState() {
            if (!defined || state.equals("shut off")) {
                if (managedSave) return DeskVmState.SAVED;
                // libvirt's word for a QEMU that died under it (killed, crashed): loud, not "stopped".
                return reason.equals("crashed") ? DeskVmState.FAILED : DeskVmState.STOPPED;
            }
            if (running()) return DeskVmState.RUNNING;
            if (paused()) return DeskVmState.PAUSED; // user, or a save under way
            return DeskVmState.FAILED; // crashed, or a state this libvirt invented later
        }

        String describe() {
            return defined ? state + (reason.isEmpty() ? "" : " (" + reason + ")") : "not defined";
        }
    }

    /**
     * A desk over {@code stateDir} (made if missing) whose domain lives at {@code uri}. A domain of
     * this desk that runs already is simply found: libvirt keeps it.
     *
     * @throws DeskException FAILED when virsh is not installed
     */
    public LibvirtDeskVm(DeskSpec spec, Path stateDir, DeskHost host, String uri) throws DeskException {
        this.spec = spec;
        this.files = new DeskFiles(stateDir.toAbsolutePath());
        this.host = host;
        this.virsh = new Virsh(Virsh.locate(), uri);
        this.overlays = new OverlayImages(host.qemuImg());
        this.domain = QemuCommandLine.marker(spec);
        try {
            Files.createDirectories(files.dir());
            Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw DeskException.failed("cannot make the desk's state directory " + stateDir + ": " + e.getMessage(), e);
        }
        this.record = DeskVmRecord.load(files.record());
    }

    /** The libvirt domain's name. */
    public String domainName() {
        return domain;
    }

    /** Everything the guest wrote on its serial console since the VM started (written by libvirt's virtlogd). */
    public Path serialLog() {
        return files.serialLog();
    }

    /** How an administrator reaches the guest's serial console. */
    public String consoleCommand() {
        return "virsh -c " + virsh.uri() + " console " + domain;
    }

    @Override
    public synchronized DeskVmStatus status() throws DeskException {
        Domain d = domain();
        DeskVmState state = d.deskState();
        Long balloon = null;
        Duration usage = null;
        Long pid = null;
        if (d.active()) {
            balloon = balloonMiB();
            usage = cpuTime();
            pid = pid();
        }
        return new DeskVmStatus(
                spec.name(),
                state,
                d.defined() ? d.describe() : null,
                record.accel(),
                record.accelReason(),
                pid,
                d.active() ? record.startedAt() : null,
                spec.overlay(),
                Files.exists(OverlayImages.previous(spec.overlay())),
                state == DeskVmState.SAVED ? record.savedAt() : null,
                record.cpuCapCores(),
                d.active() ? cpuWeight : null,
                balloon,
                usage,
                "managed by libvirt at " + virsh.uri(),
                List.of(),
                spec.displayDescription(),
                null,
                state == DeskVmState.FAILED ? "libvirt: " + d.describe() : null,
                null);
    }

    @Override
    public synchronized void start() throws DeskException {
        Domain d = domain();
        if (d.active())
            throw DeskException.refused("desk " + spec.name() + " is already running (libvirt: " + d.describe() + ")");
        checkFiles();
        if (d.managedSave()) {
            log.info("desk {}: has a saved state, restoring it instead of booting", spec.name());
            restoreSaved();
            return;
        }
        overlays.createIfMissing(spec.goldenImage(), spec.overlay());
        AccelChoice choice = AccelChoice.choose(spec.name(), spec.accel(), host.qemuSystem());
        define(choice.accel(), d.defined());
        virsh.check("virsh start " + domain, "start", domain);
        cpuWeight = null;
        record = new DeskVmRecord(
                null, choice.accel(), choice.reason(), Instant.now(), record.cpuCapCores(), null, false, null, null);
        record.store(files.record());
        log.info(
                "desk {}: started by libvirt under {} ({})",
                spec.name(),
                choice.accel().configName(),
                choice.reason());
    }

    @Override
    public synchronized StopOutcome stop(Duration timeout) throws DeskException {
        Domain d = domain();
        if (!d.active()) return StopOutcome.WAS_STOPPED;
        Instant deadline = Instant.now().plus(timeout);
        // A paused guest cannot hear the power button.
        if (d.paused()) virsh.run(Duration.ofSeconds(30), "resume", domain);
        Virsh.Outcome pressed = virsh.run(Duration.ofSeconds(30), "shutdown", domain, "--mode", "acpi");
        if (!pressed.ok()) {
            log.warn("desk {}: power button not delivered ({}); powering off", spec.name(), pressed.problem());
            destroy();
            return StopOutcome.POWERED_OFF;
        }
        while (Instant.now().isBefore(deadline)) {
            if (!domain().active()) {
                log.info("desk {}: guest shut down", spec.name());
                return StopOutcome.SHUT_DOWN;
            }
            sleep(STATE_POLL);
        }
        destroy();
        log.info("desk {}: guest did not shut down within {} s; powered off", spec.name(), timeout.toSeconds());
        return StopOutcome.POWERED_OFF;
    }

    @Override
    public synchronized void pause() throws DeskException {
        Domain d = domain();
        if (!d.running())
            throw DeskException.refused("desk " + spec.name() + " is " + d.describe() + ", not running: cannot pause");
        virsh.check("virsh suspend " + domain, "suspend", domain);
        log.info("desk {}: paused", spec.name());
    }

    @Override
    public synchronized void resume() throws DeskException {
        Domain d = domain();
        if (!d.paused())
            throw DeskException.refused("desk " + spec.name() + " is " + d.describe() + ", not paused: cannot resume");
        virsh.check("virsh resume " + domain, "resume", domain);
        log.info("desk {}: resumed", spec.name());
    }

    @Override
    public synchronized void save() throws DeskException {
        Domain d = domain();
        if (!d.active()) {
            throw DeskException.refused(
                    "desk " + spec.name() + (d.managedSave() ? " is already saved" : " has no VM running to save"));
        }
        boolean wasRunning = d.running();
        Instant began = Instant.now();
        // libvirt restores the guest as it was (running or paused), and frees the VM's memory once written.
        virsh.check("virsh managedsave " + domain, migrationLimit(), "managedsave", domain);
        record = new DeskVmRecord(
                null,
                record.accel(),
                record.accelReason(),
                null,
                record.cpuCapCores(),
                Instant.now(),
                wasRunning,
                null,
                null);
        record.store(files.record());
        log.info(
                "desk {}: saved by libvirt in {} ms; its memory is free",
                spec.name(),
                Duration.between(began, Instant.now()).toMillis());
    }

    @Override
    public synchronized void restore() throws DeskException {
        Domain d = domain();
        if (d.active())
            throw DeskException.refused(
                    "desk " + spec.name() + " is running (libvirt: " + d.describe() + "): there is nothing to restore");
        if (!d.managedSave()) throw DeskException.refused("desk " + spec.name() + " has no saved state");
        checkFiles();
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
        if (!domain().active())
            throw DeskException.refused("desk " + spec.name() + " has no VM running: no screen to take");
        Path shot = files.screendump();
        try {
            Files.deleteIfExists(shot);
            virsh.check("virsh screenshot " + domain, "screenshot", domain, shot.toString(), "--screen", "0");
            byte[] image = Files.readAllBytes(shot);
            // libvirt passes on whatever QEMU wrote: PNG from newer QEMUs, PPM from older ones.
            return startsWith(image, PNG_MAGIC) ? image : PpmToPng.convert(image);
        } catch (IOException e) {
            throw DeskException.failed("desk " + spec.name() + ": screenshot failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(shot);
            } catch (IOException ignored) {
                // Replaced by the next screenshot.
            }
        }
    }

    @Override
    public synchronized void poweroff(boolean discardSavedState) throws DeskException {
        Domain d = domain();
        if (!d.active() && d.managedSave() && !discardSavedState) {
            throw DeskException.refused("desk " + spec.name() + " is saved: powering it off would throw away the"
                    + " guest's saved memory (its open programs and unsaved work). Restore it, or power it off"
                    + " with --discard-saved-state");
        }
        if (d.active()) {
            destroy();
            log.info("desk {}: powered off", spec.name());
        }
        if (d.managedSave()) discardSavedState();
    }

    @Override
    public synchronized void setCpuCap(Double cores) throws DeskException {
        if (cores != null && (cores.isNaN() || cores < 0.01 || cores > spec.vcpus())) {
            throw DeskException.invalid(
                    "CPU cap " + cores + " is not between 0.01 and the desk's " + spec.vcpus() + " vCPUs");
        }
        if (domain().active()) {
            String quota = cores == null ? "-1" : Long.toString(LibvirtDomainXml.quotaMicros(cores));
            virsh.check(
                    "virsh schedinfo " + domain,
                    "schedinfo",
                    domain,
                    "--live",
                    "global_period=" + LibvirtDomainXml.CAP_PERIOD_US,
                    "global_quota=" + quota);
        }
        // Kept for the domain XML of every later start.
        record = record.withCpuCap(cores);
        record.store(files.record());
        log.info("desk {}: CPU cap {}", spec.name(), cores == null ? "lifted" : cores + " cores");
    }

    @Override
    public synchronized void setCpuWeight(int weight) throws DeskException {
        QemuDeskVm.checkWeight(weight);
        if (!domain().active()) throw DeskException.refused("desk " + spec.name() + " has no VM running");
        // libvirt takes v1 shares and converts them itself on a cgroup v2 host.
        virsh.check(
                "virsh schedinfo " + domain,
                "schedinfo",
                domain,
                "--live",
                "cpu_shares=" + DeskCpuGroup.sharesOf(weight));
        cpuWeight = weight;
    }

    @Override
    public synchronized void setBalloon(long mib) throws DeskException {
        if (mib < spec.memoryMinMiB() || mib > spec.memoryMaxMiB()) {
            throw DeskException.invalid("balloon target " + mib + " MiB is outside the desk's " + spec.memoryMinMiB()
                    + " to " + spec.memoryMaxMiB() + " MiB");
        }
        if (!domain().active()) throw DeskException.refused("desk " + spec.name() + " has no VM running");
        virsh.check("virsh setmem " + domain, "setmem", domain, "--size", (mib * 1024) + "KiB", "--live");
        log.info("desk {}: balloon target {} MiB", spec.name(), mib);
    }

    /** Nothing to let go of: libvirt keeps the VM, and every call asks it afresh. */
    @Override
    public void close() {}

    // --- libvirt -----------------------------------------------------------------------------

    private Domain domain() throws DeskException {
        Virsh.Outcome o = virsh.run(Duration.ofSeconds(30), "domstate", domain, "--reason");
        if (!o.ok()) {
            String problem = o.problem();
            if (problem.contains("failed to get domain") || problem.contains("Domain not found"))
                return new Domain(false, "", "", false);
            throw DeskException.failed("cannot ask libvirt at " + virsh.uri() + " about " + domain + ": " + problem);
        }
        String line = o.out().strip();
        int paren = line.indexOf(" (");
        String state = (paren < 0 ? line : line.substring(0, paren)).toLowerCase(Locale.ROOT);
        String reason =
                paren < 0 ? "" : line.substring(paren + 2, line.endsWith(")") ? line.length() - 1 : line.length());
        boolean managedSave = false;
        if (state.equals("shut off")) {
            // The only state a managed save can exist in; dominfo says whether one does.
            managedSave = virsh.check("virsh dominfo " + domain, "dominfo", domain)
                    .lines()
                    .anyMatch(l -> l.matches("(?i)managed save:\\s*yes"));
        }
        return new Domain(true, state, reason, managedSave);
    }

    private void define(Accel accel, boolean defined) throws DeskException {
        String uuid = defined
                ? virsh.check("virsh domuuid " + domain, "domuuid", domain).strip()
                : null;
        String xml = LibvirtDomainXml.of(
                spec,
                domain,
                accel,
                host.qemuSystem(),
                record.cpuCapCores(),
                uuid == null || uuid.isEmpty() ? null : uuid,
                files.serialLog());
        Path file = files.dir().resolve("domain.xml");
        try {
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw DeskException.failed("cannot write " + file + ": " + e.getMessage(), e);
        }
        virsh.check("virsh define " + file, "define", file.toString());
    }

    private void restoreSaved() throws DeskException {
        Instant began = Instant.now();
        virsh.check("virsh start " + domain + " (restoring its saved state)", migrationLimit(), "start", domain);
        cpuWeight = null;
        record = new DeskVmRecord(
                null,
                record.accel(),
                record.accelReason(),
                Instant.now(),
                record.cpuCapCores(),
                null,
                false,
                null,
                null);
        record.store(files.record());
        log.info(
                "desk {}: restored by libvirt in {} ms",
                spec.name(),
                Duration.between(began, Instant.now()).toMillis());
    }

    private void destroy() throws DeskException {
        virsh.check("virsh destroy " + domain, "destroy", domain);
    }

    private void discardSavedState() throws DeskException {
        virsh.check("virsh managedsave-remove " + domain, "managedsave-remove", domain);
        record = new DeskVmRecord(
                null, record.accel(), record.accelReason(), null, record.cpuCapCores(), null, false, null, null);
        record.store(files.record());
        log.info("desk {}: saved state discarded", spec.name());
    }

    /** Makes way for an overlay change: refuses with a running VM or a saved state unless forced. */
    private void clearForDiskChange(String what, boolean force) throws DeskException {
        Domain d = domain();
        if (d.active() && !force) {
            throw DeskException.refused("desk " + spec.name() + " is running: stop it before you " + what
                    + ", or force it (which powers the guest off)");
        }
        if (d.managedSave() && !force) {
            throw DeskException.refused("desk " + spec.name()
                    + " has a saved state, which would not match the new disk: restore and stop it before you " + what
                    + ", or force it (which discards the saved state)");
        }
        if (d.active()) {
            destroy();
            log.info("desk {}: powered off to {}", spec.name(), what);
        }
        if (d.managedSave()) discardSavedState();
    }

    private Long balloonMiB() {
        try {
            return virsh.check("virsh dommemstat " + domain, "dommemstat", domain)
                    .lines()
                    .map(String::strip)
                    .filter(l -> l.startsWith("actual "))
                    .map(l -> Long.parseLong(l.substring(7).strip()) / 1024)
                    .findFirst()
                    .orElse(null);
        } catch (DeskException | NumberFormatException e) {
            return null; // no balloon driver in the guest yet
        }
    }

    private Duration cpuTime() {
        try {
            return virsh.check("virsh domstats " + domain, "domstats", domain, "--cpu-total")
                    .lines()
                    .map(String::strip)
                    .filter(l -> l.startsWith("cpu.time="))
                    .map(l -> Duration.ofNanos(Long.parseLong(l.substring(9))))
                    .findFirst()
                    .orElse(null);
        } catch (DeskException | NumberFormatException e) {
            return null;
        }
    }

    /** QEMU's pid from libvirt's pid file (qemu:///system keeps it readable by root only). */
    private Long pid() {
        for (Path f : List.of(
                Path.of("/run/libvirt/qemu", domain + ".pid"),
                Path.of(System.getProperty("user.home"), ".cache/libvirt/qemu/run", domain + ".pid"))) {
            try {
                if (Files.isReadable(f))
                    return Long.parseLong(Files.readString(f).strip());
            } catch (IOException | NumberFormatException ignored) {
                // try the next place
            }
        }
        return null;
    }

    /** Generous, as for the QEMU backend: a multi-GiB guest onto a slow disk. */
    private Duration migrationLimit() {
        return Duration.ofSeconds(60 + spec.memoryMaxMiB() / 20);
    }

    private void checkFiles() throws DeskException {
        try {
            spec.checkFiles();
        } catch (InvalidDeskSpecException e) {
            throw DeskException.invalid("desk " + spec.name() + ": " + e.getMessage());
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(Arrays.copyOf(data, prefix.length), prefix);
    }

    private static void sleep(Duration d) throws DeskException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeskException.failed("interrupted", e);
        }
    }
}
