package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a job keeps its checkpoint: {@code WORK/.cyphon-checkpoint}, handed to the job as
 * {@code CYPHON_CHECKPOINT_DIR}. Inside the working directory so the sandbox gives it to the job's
 * user together with the rest of it (made before the job starts, so its hand-over covers the
 * restored files too), and so it goes with the working directory when the attempt is forgotten.
 *
 * <p>Its parent must be a directory whose own path the job cannot change (the agent's
 * {@code state_dir/work/ID}): {@link CheckpointArchive#pack} relies on that to refuse a directory
 * the job has swapped for a symbolic link.
 */
public final class CheckpointDir {
    /** The variable a job finds its checkpoint directory in. */
    public static final String ENV = "CYPHON_CHECKPOINT_DIR";

    public static final String NAME = ".cyphon-checkpoint";

    private CheckpointDir() {}

    public static Path in(Path workDir) {
        return workDir.resolve(NAME);
    }

    /** Creates the (empty) directory in {@code workDir}; fails if something is there already. */
    public static Path create(Path workDir) throws IOException {
        return Files.createDirectory(in(workDir));
    }
}
