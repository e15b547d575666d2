package org.cyphon.agent.desk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * What the agent knows of the owner's VM beyond what the hypervisor can be asked: kept in
 * {@code desk.json} in the desk's state directory (the file keeps its name, so agents find the
 * records earlier versions wrote) so that a restarted agent finds its running (or saved) VM again.
 *
 * @param pid           the QEMU process, or null when no VM runs
 * @param accel         the accelerator of the running or saved VM ({@code kvm} or {@code tcg}); a saved
 *                      state is restored under the same one
 * @param accelReason   why that accelerator (the KVM probe's finding)
 * @param startedAt     when the VM process started
 * @param cpuCapCores   the CPU cap in cores, or null for none; applies to every later start too
 * @param savedAt       when the saved state was written, or null when there is none
 * @param runningAtSave whether the guest was running (not paused) when saved, so restore resumes it
 * @param failedAt      when the VM process died without anyone asking (a crash, a kill), or null
 * @param failure       how it died: its exit status and the last lines of its log; null unless failed
 */
record DeskVmRecord(
        Long pid,
        Accel accel,
        String accelReason,
        Instant startedAt,
        Double cpuCapCores,
        Instant savedAt,
        boolean runningAtSave,
        Instant failedAt,
        String failure) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static DeskVmRecord empty() {
        return new DeskVmRecord(null, null, null, null, null, null, false, null, null);
    }

    /** A new VM process: whatever failed before is over. */
    DeskVmRecord started(long newPid, Accel usedAccel, String reason, Instant now) {
        return new DeskVmRecord(newPid, usedAccel, reason, now, cpuCapCores, savedAt, runningAtSave, null, null);
    }

    DeskVmRecord exited() {
        return new DeskVmRecord(null, accel, accelReason, null, cpuCapCores, savedAt, runningAtSave, failedAt, failure);
    }

    /** The VM process died without anyone asking: the desk is failed until an administrator starts or powers it off. */
    DeskVmRecord failed(Instant at, String how) {
        return new DeskVmRecord(null, accel, accelReason, null, cpuCapCores, savedAt, runningAtSave, at, how);
    }

    /** The failure acknowledged (a poweroff): the desk is simply stopped. */
    DeskVmRecord withoutFailure() {
        return new DeskVmRecord(pid, accel, accelReason, startedAt, cpuCapCores, savedAt, runningAtSave, null, null);
    }

    /** A save under way: whether the guest was running is kept before anything can go wrong. */
    DeskVmRecord saving(boolean wasRunning) {
        return new DeskVmRecord(pid, accel, accelReason, startedAt, cpuCapCores, null, wasRunning, null, null);
    }

    DeskVmRecord saved(Instant now, boolean wasRunning) {
        return new DeskVmRecord(null, accel, accelReason, null, cpuCapCores, now, wasRunning, null, null);
    }

    DeskVmRecord restored() {
        return new DeskVmRecord(pid, accel, accelReason, startedAt, cpuCapCores, null, false, null, null);
    }

    DeskVmRecord withCpuCap(Double cores) {
        return new DeskVmRecord(pid, accel, accelReason, startedAt, cores, savedAt, runningAtSave, failedAt, failure);
    }

    /** The record in {@code file}, or an empty one when there is none yet. */
    static DeskVmRecord load(Path file) throws DeskException {
        if (!Files.exists(file)) return empty();
        try {
            return JSON.readValue(file.toFile(), DeskVmRecord.class);
        } catch (IOException e) {
            throw DeskException.failed("cannot read the VM record " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the record to {@code file} atomically (a temporary file renamed over it). */
    void store(Path file) throws DeskException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw DeskException.failed("cannot write the VM record " + file + ": " + e.getMessage(), e);
        }
    }
}
