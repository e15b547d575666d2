package org.cyphon.cli.client;

import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.protocol.JobBatch;
import org.cyphon.core.protocol.JobSubmission;

/**
 * One submission's files as the command line, a job file or a submit file gave them, checked but
 * not sent yet: the local inputs, the output patterns, the shared paths it needs. {@link #sendAll}
 * uploads them (once per content, however many submissions name it) right before the submit.
 */
public record LocalFiles(List<LocalInputs.Input> inputs, List<String> outputs, List<String> needsPaths) {
    public static final LocalFiles NONE = new LocalFiles(List.of(), List.of(), List.of());

    public LocalFiles {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        needsPaths = List.copyOf(needsPaths);
    }

    public boolean isEmpty() {
        return inputs.isEmpty() && outputs.isEmpty() && needsPaths.isEmpty();
    }

    /** The submission with these files sent and attached (unchanged when there are none). */
    public JobSubmission sendWith(SendInputs sender, JobSubmission s) {
        if (isEmpty()) return s;
        return s.withFiles(sender.send(inputs, outputs, needsPaths));
    }

    /** Every submission of the batch with its files sent and attached; {@code files} in the batch's order. */
    public static JobBatch sendAll(CyphonClient client, JobBatch batch, List<LocalFiles> files) {
        if (files.stream().allMatch(LocalFiles::isEmpty)) return batch;
        SendInputs sender = new SendInputs(client);
        List<JobSubmission> out = new ArrayList<>(batch.jobs().size());
        for (int i = 0; i < batch.jobs().size(); i++)
            out.add(files.get(i).sendWith(sender, batch.jobs().get(i)));
        return new JobBatch(out, batch.edges());
    }
}
