package org.cyphon.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.cli.client.InvalidInput;
import org.cyphon.cli.condor.CondorJob;
import org.cyphon.cli.condor.SubmitFile;
import org.cyphon.core.protocol.JobBatch;
import org.cyphon.core.protocol.JobSubmission;

/**
 * An HTCondor submit file as the one batch {@code cyphon submit FILE.sub} sends: every job of the
 * file in one request, so the coordinator stores all or none and numbers them as one cluster.
 * A file that asks for what Cyphon cannot do yet (file transfer, a disk request) is refused
 * whole, naming each request, before anything is sent.
 *
 * @param note what to tell the submitter on stderr (output/error/log files are not written), or null
 */
record SubmitFileJobs(JobBatch batch, String note) {

    /**
     * What the command line adds to every job of the file.
     *
     * @param secretEnv {@code --secret-env} variables (a submit file has no way to say a value is secret); null: none
     */
    record Overrides(String name, Integer maxAttempts, Map<String, String> secretEnv, JobSubmission.After after) {}

    static SubmitFileJobs read(Path file, Overrides o) {
        return of(file.toString(), SubmitFile.read(file, Path.of("").toAbsolutePath()), o);
    }

    static SubmitFileJobs of(String source, List<CondorJob> jobs, Overrides o) {
        Set<String> refusals = new LinkedHashSet<>();
        for (CondorJob j : jobs) refusals.addAll(j.notYet().reasons());
        if (!refusals.isEmpty()) throw new InvalidInput(source + ": nothing submitted: " + String.join("; ", refusals));
        List<JobSubmission> subs = new ArrayList<>(jobs.size());
        boolean stdFiles = false;
        for (CondorJob j : jobs) {
            stdFiles |= j.files().any();
            subs.add(new JobSubmission(
                    o.name(),
                    j.command(),
                    j.cpus(),
                    j.memory(),
                    j.runtime(),
                    j.priority(),
                    j.env().isEmpty() ? null : j.env(),
                    1,
                    o.maxAttempts(),
                    null,
                    j.checkpointExitCode(),
                    j.requires().isEmpty() ? null : j.requires(),
                    o.secretEnv(),
                    o.after(),
                    j.gpus()));
        }
        String note = stdFiles
                ? "note: Cyphon does not write the files named by output, error and log: read a job's output with "
                        + "'cyphon logs ID' (--stderr for its errors) and its history with 'cyphon job ID'"
                : null;
        return new SubmitFileJobs(new JobBatch(subs), note);
    }
}
