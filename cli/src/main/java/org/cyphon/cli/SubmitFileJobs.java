package org.cyphon.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cyphon.cli.client.LocalFiles;
import org.cyphon.cli.client.LocalInputs;
import org.cyphon.cli.condor.CondorJob;
import org.cyphon.cli.condor.SubmitFile;
import org.cyphon.core.protocol.JobBatch;
import org.cyphon.core.protocol.JobSubmission;

/**
 * An HTCondor submit file as the one batch {@code cyphon submit FILE.sub} sends: every job of the
 * file in one request, so the coordinator stores all or none and numbers them as one cluster.
 * Its transfer files are checked here and sent right before the batch ({@link LocalFiles#sendAll}).
 *
 * @param note  what to tell the submitter on stderr (output/error/log files are not written), or null
 * @param files each submission's files, in the batch's order
 */
record SubmitFileJobs(JobBatch batch, String note, List<LocalFiles> files) {

    /**
     * What the command line adds to every job of the file.
     *
     * @param secretEnv {@code --secret-env} variables (a submit file has no way to say a value is secret); null: none
     * @param network   {@code --network} (HTCondor has no command for it); null: the desk's
     */
    record Overrides(
            String name,
            Integer maxAttempts,
            Map<String, String> secretEnv,
            JobSubmission.After after,
            String network) {
        Overrides(String name, Integer maxAttempts, Map<String, String> secretEnv, JobSubmission.After after) {
            this(name, maxAttempts, secretEnv, after, null);
        }
    }

    static SubmitFileJobs read(Path file, Overrides o) {
        return of(file.toString(), SubmitFile.read(file, Path.of("").toAbsolutePath()), o);
    }

    static SubmitFileJobs of(String source, List<CondorJob> jobs, Overrides o) {
        List<JobSubmission> subs = new ArrayList<>(jobs.size());
        List<LocalFiles> files = new ArrayList<>(jobs.size());
        java.util.Map<List<String>, List<LocalInputs.Input>> resolved = new java.util.HashMap<>();
        boolean stdFiles = false;
        for (CondorJob j : jobs) {
            List<LocalInputs.Input> inputs = resolved.computeIfAbsent(
                    j.transfer().inputs(),
                    in -> LocalInputs.resolve(in, java.nio.file.Path.of("/"), source + ": transfer_input_files"));
            files.add(new LocalFiles(inputs, j.transfer().outputs(), List.of()));
            stdFiles |= j.files().any();
            subs.add(JobSubmission.builder()
                    .name(o.name())
                    .command(j.command())
                    .cpus(j.cpus())
                    .memory(j.memory())
                    .runtime(j.runtime())
                    .priority(j.priority())
                    .env(j.env().isEmpty() ? null : j.env())
                    .count(1)
                    .maxAttempts(o.maxAttempts())
                    .checkpointExitCode(j.checkpointExitCode())
                    .requires(j.requires().isEmpty() ? null : j.requires())
                    .secretEnv(o.secretEnv())
                    .after(o.after())
                    .disk(j.disk())
                    .network(o.network())
                    .gpus(j.gpus())
                    // no files: they are sent and attached just before the submit (LocalFiles.sendAll)
                    .build());
        }
        String note = stdFiles
                ? "note: Cyphon does not write the files named by output, error and log: read a job's output with "
                        + "'cyphon logs ID' (--stderr for its errors) and its history with 'cyphon job ID'"
                : null;
        return new SubmitFileJobs(new JobBatch(subs), note, files);
    }
}
