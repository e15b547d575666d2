package org.cyphon.cli.condor;

import java.util.List;
import java.util.Map;

/**
 * One job of an HTCondor submit file, every macro expanded: what Cyphon will run, and what the
 * file asked for that Cyphon cannot give yet.
 *
 * @param process    HTCondor's {@code $(Process)}: the job's number in the file, from 0
 * @param command    the executable and its arguments; {@code $(Cluster)} is left as
 *                   {@code {cluster}}, which the coordinator replaces with the first job's id
 * @param memory     a Cyphon size ({@code "2048M"}), or null for the default
 * @param runtime    from {@code +MaxRuntime}, a Cyphon duration ({@code "3600s"}), or null
 * @param requires   labels from {@code requirements}
 * @param files      files named by output, error and log, which Cyphon does not write
 * @param notYet     what the job asked for that Cyphon does not do yet: submitting refuses it
 * @param gpus       {@code request_gpus}, or null when not asked
 */
public record CondorJob(
        int process,
        List<String> command,
        Map<String, String> env,
        Double cpus,
        String memory,
        String runtime,
        Integer priority,
        Integer checkpointExitCode,
        Map<String, String> requires,
        StdFiles files,
        NotYet notYet,
        Integer gpus) {

    /** {@code output}, {@code error}, {@code log} as written (null when not set). */
    public record StdFiles(String output, String error, String log) {
        public boolean any() {
            return output != null || error != null || log != null;
        }
    }

    /**
     * Requests Cyphon has no equivalent for yet, kept as parsed so the refusal can say what was
     * asked (and so they can be honoured once Cyphon can).
     *
     * @param inputFiles  {@code transfer_input_files}, split at commas
     * @param outputFiles {@code transfer_output_files}, split at commas
     * @param diskKib     {@code request_disk} in KiB; null when not asked
     */
    public record NotYet(List<String> inputFiles, List<String> outputFiles, Long diskKib) {
        public NotYet {
            inputFiles = List.copyOf(inputFiles);
            outputFiles = List.copyOf(outputFiles);
        }

        /** Why the job cannot be submitted, one line per request; empty when it can. */
        public List<String> reasons() {
            List<String> out = new java.util.ArrayList<>();
            if (!inputFiles.isEmpty())
                out.add("transfer_input_files " + inputFiles
                        + ": sending input files with a job is not available in Cyphon yet;"
                        + " use paths every desk mounts (a shared filesystem) instead");
            if (!outputFiles.isEmpty())
                out.add("transfer_output_files " + outputFiles
                        + ": fetching result files is not available in Cyphon yet;"
                        + " write results to a shared filesystem instead");
            if (diskKib != null)
                out.add("request_disk = " + diskKib + " KiB: a disk request is not available in Cyphon yet");
            return out;
        }
    }
}
