package org.cyphon.core.protocol;

import java.util.List;

/**
 * The files side of one attempt, as its agent receives it in a {@link WorkAssignment}.
 *
 * @param inputs         files to put into the working directory before the job starts: uploads
 *                       fetched from the coordinator ({@code GET .../attempts/{token}/blobs/{sha256}})
 *                       through the desk's cache, links to shared storage made as symbolic links
 * @param outputs        patterns of the files to upload when the job ends and with every checkpoint
 * @param needsPaths     shared paths the job uses directly: the agent checks they are mounted before
 *                       it starts the job, and hands the attempt back when one is not
 * @param maxOutputBytes the coordinator's {@code jobs.max_output_bytes}: outputs past it are refused,
 *                       so the agent does not send them
 * @param restoreOutputs the attempt resumes from a checkpoint: put the outputs the job's earlier
 *                       attempts stored back into the working directory too
 *                       ({@code GET .../attempts/{token}/outputs}), as they were when it checkpointed
 */
public record WorkFiles(
        List<JobFiles.Input> inputs,
        List<String> outputs,
        List<String> needsPaths,
        long maxOutputBytes,
        boolean restoreOutputs) {
    public WorkFiles {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        needsPaths = needsPaths == null ? List.of() : List.copyOf(needsPaths);
    }
}
