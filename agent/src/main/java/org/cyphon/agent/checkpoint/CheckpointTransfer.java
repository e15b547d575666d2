package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.agent.sandbox.JobUser;

/**
 * Moves checkpoints between a job's checkpoint directory and the coordinator, through archives in
 * a scratch directory of the agent's own ({@code state_dir/checkpoints}: not the job's, so the job
 * cannot touch an archive between packing and upload). A job that runs as an account of its own
 * has its directory read and written by a process of that account ({@link JobAccountArchiver}).
 * Thread-safe; one per agent.
 */
public final class CheckpointTransfer {
    private final CoordinatorLink client;
    private final Path scratch;
    private final long maxBytes;
    /** Starts the job-side process for jobs with accounts of their own; null when none is ever needed. */
    private final JobAccountArchiver archiver;

    /** A transfer for an agent whose jobs run as its own user. */
    public CheckpointTransfer(CoordinatorLink client, Path scratch, long maxBytes) throws IOException {
        this(client, scratch, maxBytes, null);
    }

    /**
     * @param scratch  a directory only the agent writes; created if missing
     * @param maxBytes largest checkpoint content packed or unpacked ({@code checkpoint.max_size})
     * @param archiver how the directories of jobs with accounts of their own are read and written;
     *                 null when jobs run as the agent's own user
     */
    public CheckpointTransfer(CoordinatorLink client, Path scratch, long maxBytes, JobAccountArchiver archiver)
            throws IOException {
        this.client = client;
        this.archiver = archiver;
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
     * @param as the job's account, whose process writes the files; null: the agent writes them
     * @return false when the coordinator holds none for the job
     * @throws UnsafeArchiveException when the archive would write outside {@code dir} or make links
     */
    public boolean restore(long fencingToken, Path dir, JobUser as)
            throws IOException, CoordinatorUnreachableException, CoordinatorRefusedException {
        Path archive = Files.createTempFile(scratch, "restore-" + fencingToken + "-", ".tar");
        try {
            if (!client.downloadCheckpoint(fencingToken, archive)) return false;
            CheckpointArchive.unpack(archive, dir, maxBytes, archiver(as), as);
            return true;
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /**
     * Packs {@code dir} into a new archive in the scratch directory; the caller uploads or deletes it.
     *
     * @param as the job's account, whose process reads the directory; null: the agent reads it
     */
    public Path pack(long fencingToken, Path dir, JobUser as) throws IOException {
        Path archive = scratch.resolve("store-" + fencingToken + "-" + System.nanoTime() + ".tar");
        CheckpointArchive.pack(dir, archive, maxBytes, archiver(as), as);
        return archive;
    }

    private JobAccountArchiver archiver(JobUser as) throws IOException {
        if (as != null && archiver == null)
            throw new IOException(
                    "no job-side archiver to act as " + as.name() + " (an agent running as root needs one)");
        return archiver;
    }

    /** Uploads an archive made by {@link #pack}. @return bytes the coordinator stored */
    public long upload(long fencingToken, Path archive)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return client.uploadCheckpoint(fencingToken, archive);
    }
}
