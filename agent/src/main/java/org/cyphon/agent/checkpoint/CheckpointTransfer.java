package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;

/**
 * Moves checkpoints between a job's checkpoint directory and the coordinator, through archives in
 * a scratch directory of the agent's own ({@code state_dir/checkpoints}: not the job's, so the job
 * cannot touch an archive between packing and upload). Thread-safe; one per agent.
 */
public final class CheckpointTransfer {
    private final CoordinatorLink client;
    private final Path scratch;
    private final long maxBytes;

    /**
     * @param scratch  a directory only the agent writes; created if missing
     * @param maxBytes largest checkpoint content packed or unpacked ({@code checkpoint.max_size})
     */
    public CheckpointTransfer(CoordinatorLink client, Path scratch, long maxBytes) throws IOException {
        this.client = client;
        this.scratch = Files.createDirectories(scratch);
        // Archives of jobs' checkpoints pass through here: the agent's alone, whatever the umask.
        if (scratch.getFileSystem().supportedFileAttributeViews().contains("posix"))
            Files.setPosixFilePermissions(
                    scratch, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        this.maxBytes = maxBytes;
    }

    /**
     * Fetches the job's checkpoint and unpacks it into {@code dir} (existing, empty, before the job
     * starts).
     *
     * @return false when the coordinator holds none for the job
     * @throws UnsafeArchiveException when the archive would write outside {@code dir} or make links
     */
    public boolean restore(long fencingToken, Path dir)
            throws IOException, CoordinatorUnreachableException, CoordinatorRefusedException {
        Path archive = Files.createTempFile(scratch, "restore-" + fencingToken + "-", ".tar");
        try {
            if (!client.downloadCheckpoint(fencingToken, archive)) return false;
            CheckpointArchive.unpack(archive, dir, maxBytes);
            return true;
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** Packs {@code dir} into a new archive in the scratch directory; the caller uploads or deletes it. */
    public Path pack(long fencingToken, Path dir) throws IOException {
        Path archive = scratch.resolve("store-" + fencingToken + "-" + System.nanoTime() + ".tar");
        CheckpointArchive.pack(dir, archive, maxBytes);
        return archive;
    }

    /** Uploads an archive made by {@link #pack}. @return bytes the coordinator stored */
    public long upload(long fencingToken, Path archive)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return client.uploadCheckpoint(fencingToken, archive);
    }
}
