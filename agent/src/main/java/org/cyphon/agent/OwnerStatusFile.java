package org.cyphon.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.DeskVmView;

/**
 * What the person at the desk may know about Cyphon on their machine, kept in
 * {@code STATE_DIR/owner-status.json} by the agent after every heartbeat and read by
 * {@code cyphon status} without any token: whether they count as present and why, what the jobs
 * are doing, whether their VM is paused or saved, and whether the pool's overload mode is
 * borrowing more of their machine. World-readable on purpose: it says nothing secret, and the
 * owner is not the agent's user.
 *
 * @param jobs       one line per attempt: "job 42: lingering"
 * @param vm         the desk VM: its state, who decides where it goes, what the keeper does next
 *                   and when; null on a desk without one
 * @param claimUntil the owner's claim of the whole machine ({@code cyphon claim}) in force, or null
 * @param owner      the desk's owner (agent.toml's {@code owner}), who may act through the owner socket
 */
public record OwnerStatusFile(
        String machine,
        Instant at,
        DeskView desk,
        List<String> jobs,
        Instant overloadUntil,
        DeskVmView vm,
        Instant claimUntil,
        String owner) {

    /** A status without the VM, the claim or the owner (what agents before them wrote). */
    public OwnerStatusFile(String machine, Instant at, DeskView desk, List<String> jobs, Instant overloadUntil) {
        this(machine, at, desk, jobs, overloadUntil, null, null, null);
    }

    static final String NAME = "owner-status.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(org.cyphon.agent.client.InstantJson.module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Writes atomically (a reader never sees half a file); a failure is the caller's to log. */
    void write(Path stateDir) throws IOException {
        Path tmp = stateDir.resolve(NAME + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        try {
            Files.move(
                    tmp, stateDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, stateDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The agent's last status, or empty when no agent has written one in {@code stateDir}. */
    public static Optional<OwnerStatusFile> read(Path stateDir) throws IOException {
        Path f = stateDir.resolve(NAME);
        if (!Files.exists(f)) return Optional.empty();
        return Optional.of(JSON.readValue(f.toFile(), OwnerStatusFile.class));
    }
}
