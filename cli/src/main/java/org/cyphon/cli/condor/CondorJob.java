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
 * @param transfer   the files sent with it and kept from it ({@code transfer_input_files}, a
 *                   relative {@code executable}, {@code transfer_output_files})
 * @param disk       from {@code request_disk}, a Cyphon size ({@code "1048576K"}), or null
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
        Transfer transfer,
        String disk) {

    /**
     * HTCondor's file transfer, as Cyphon does it.
     *
     * @param inputs  {@code transfer_input_files} and a relative {@code executable}, each an absolute
     *                path on this machine (resolved against the submit directory), a directory with a
     *                trailing slash for its contents alone
     * @param outputs {@code transfer_output_files}: names in the job's working directory
     */
    public record Transfer(List<String> inputs, List<String> outputs) {
        public static final Transfer NONE = new Transfer(List.of(), List.of());

        public Transfer {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

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
     * @param inputFiles  {@code transfer_input_files}, split at commas (sent now: see {@link Transfer})
     * @param outputFiles {@code transfer_output_files}, split at commas (kept now: see {@link Transfer})
     * @param gpus        {@code request_gpus}; 0 when not asked
     */
    public record NotYet(List<String> inputFiles, List<String> outputFiles, int gpus) {
        public NotYet {
            inputFiles = List.copyOf(inputFiles);
            outputFiles = List.copyOf(outputFiles);
        }

        /** Why the job cannot be submitted, one line per request; empty when it can. */
        public List<String> reasons() {
            List<String> out = new java.util.ArrayList<>();
            if (gpus > 0) out.add("request_gpus = " + gpus + ": GPU jobs are not available in Cyphon yet");
            return out;
        }
    }
}
