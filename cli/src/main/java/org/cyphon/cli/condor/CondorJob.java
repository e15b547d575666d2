package org.cyphon.cli.condor;

import java.util.List;
import java.util.Map;

/**
 * One job of an HTCondor submit file, every macro expanded: what Cyphon will run, and what the
 * file asked for that Cyphon does not write.
 *
 * @param process    HTCondor's {@code $(Process)}: the job's number in the file, from 0
 * @param command    the executable and its arguments; {@code $(Cluster)} is left as
 *                   {@code {cluster}}, which the coordinator replaces with the first job's id
 * @param memory     a Cyphon size ({@code "2048M"}), or null for the default
 * @param runtime    from {@code +MaxRuntime}, a Cyphon duration ({@code "3600s"}), or null
 * @param requires   labels from {@code requirements}
 * @param files      files named by output, error and log, which Cyphon does not write
 * @param transfer   the files sent with it and kept from it ({@code transfer_input_files}, a
 *                   relative {@code executable}, {@code transfer_output_files})
 * @param disk       from {@code request_disk}, a Cyphon size ({@code "1048576K"}), or null
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
        Transfer transfer,
        String disk,
        Integer gpus) {

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
}
