package org.cyphon.coordinator.files;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.checkpoints.CurrentAttempt;
import org.cyphon.coordinator.lifecycle.JobLog;
import org.cyphon.coordinator.store.BlobTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobFileTable;
import org.cyphon.core.job.WorkDirNames;
import org.cyphon.core.protocol.OutputFiles;
import org.cyphon.core.text.Sizes;

/**
 * {@code POST /agents/{m}/attempts/{token}/outputs}: the files matching a job's output patterns,
 * their contents already uploaded, become the job's outputs, each replacing the job's earlier file
 * of the same name; the job's events list each new or changed file with its size. Outputs that
 * would take the job past {@code jobs.max_output_bytes} are refused whole (413), and the job's
 * events say so, with the sizes, so its owner learns why {@code cyphon fetch} has less than expected.
 * An agent that knows the outputs are over the cap sends the list without hashes or contents, only
 * for this refusal to be recorded.
 */
public final class RecordOutputs {
    /** Files one job may leave: a directory of many small results, not a file system. */
    public static final int MAX_FILES = 100_000;
    /** Events one report of outputs may make: about 20,000 small files' names. */
    static final int MAX_EVENTS = 400;

    private final Database db;
    private final Clock clock;
    private final FileSettings settings;

    public RecordOutputs(Database db, Clock clock, FileSettings settings) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
    }

    /** {@code {"files": N, "bytes": B, "changed": C}}: the job's outputs now, and how many this report changed. */
    public record Stored(int files, long bytes, int changed) {}

    public Stored record(String machine, long token, OutputFiles out) {
        List<OutputFiles.File> files = check(out);
        String moment = out.moment() == null ? "exit" : out.moment();
        long now = clock.millis();
        record Result(Stored stored, List<EventRow> events, ApiError refusal) {}
        Result r = db.transactions().write(c -> {
            CurrentAttempt.Found f = CurrentAttempt.require(c, machine, token);
            long jobId = f.attempt().jobId();
            int attemptNo = f.attempt().attemptNo();
            Map<String, JobFileTable.Output> before = JobFileTable.outputs(c, jobId);
            long total = 0;
            Set<String> names = new HashSet<>();
            for (OutputFiles.File file : files) {
                total += file.size();
                names.add(file.name());
            }
            for (JobFileTable.Output o : before.values()) if (!names.contains(o.name())) total += o.sizeBytes();
            if (total > settings.maxOutputBytes()) {
                OutputFiles.File largest = files.stream()
                        .max(java.util.Comparator.comparingLong(OutputFiles.File::size))
                        .orElseThrow();
                String why = "at " + moment + ": " + files.size() + " files, " + Sizes.format(total)
                        + " with those kept before, over the coordinator's jobs.max_output_bytes of "
                        + Sizes.format(settings.maxOutputBytes()) + " (largest " + largest.name() + " "
                        + Sizes.format(largest.size()) + "): not stored";
                EventRow e = new EventRow(jobId, now, "outputs_refused", attemptNo, machine, trim(why));
                EventTable.insert(c, List.of(e));
                return new Result(null, List.of(e), new ApiError(413, "outputs: " + why, "files"));
            }
            Set<String> shas = new HashSet<>();
            for (int i = 0; i < files.size(); i++) {
                if (files.get(i).sha256() == null)
                    throw ApiError.badField("files[" + i + "].sha256", "is required (the content's SHA-256)");
                shas.add(files.get(i).sha256());
            }
            Map<String, BlobTable.Blob> held =
                    BlobTable.ownedBy(c, shas, f.job().owner());
            for (int i = 0; i < files.size(); i++) {
                OutputFiles.File file = files.get(i);
                BlobTable.Blob b = held.get(file.sha256());
                if (b == null)
                    throw ApiError.badField("files[" + i + "]", file.name() + ": its content was not uploaded");
                if (b.sizeBytes() != file.size())
                    throw ApiError.badField(
                            "files[" + i + "].size",
                            file.name() + ": the content uploaded is " + b.sizeBytes() + " bytes");
            }
            List<JobFileTable.Output> changed = new ArrayList<>();
            List<FileListMessages.Entry> listed = new ArrayList<>();
            for (OutputFiles.File file : files) {
                JobFileTable.Output old = before.get(file.name());
                if (old != null && old.sha256().equals(file.sha256())) continue;
                changed.add(new JobFileTable.Output(jobId, file.name(), file.sha256(), file.size(), attemptNo, now));
                listed.add(new FileListMessages.Entry(file.name(), file.size()));
            }
            JobFileTable.putOutputs(c, changed);
            BlobTable.touch(c, shas, now);
            int kept = before.size();
            for (String n : names) if (!before.containsKey(n)) kept++;
            List<EventRow> events = new ArrayList<>();
            if (!changed.isEmpty()) {
                String head = "at " + moment + ": " + changed.size() + " of " + files.size() + " files new or changed ("
                        + kept + " kept, " + Sizes.format(total) + " in all)";
                for (String m : FileListMessages.of(head, listed, MAX_EVENTS))
                    events.add(new EventRow(jobId, now, "outputs", attemptNo, machine, m));
                EventTable.insert(c, events);
            }
            return new Result(new Stored(kept, total, changed.size()), events, null);
        });
        JobLog.committed(r.events().size() > 3 ? r.events().subList(0, 3) : r.events());
        if (r.refusal() != null) throw r.refusal();
        return r.stored();
    }

    private static List<OutputFiles.File> check(OutputFiles out) {
        if (out == null) throw ApiError.badField("body", "an outputs object is required");
        if (out.moment() != null
                && !out.moment().equals("exit")
                && !out.moment().equals("checkpoint")) throw ApiError.badField("moment", "must be exit or checkpoint");
        List<OutputFiles.File> files = out.files();
        if (files.size() > MAX_FILES)
            throw ApiError.badField("files", "lists " + files.size() + " files; at most " + MAX_FILES);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            OutputFiles.File file = files.get(i);
            String field = "files[" + i + "]";
            if (file == null) throw ApiError.badField(field, "is null");
            String problem = WorkDirNames.problem(file.name());
            if (problem != null) throw ApiError.badField(field + ".name", problem);
            // No hash: the agent did not send contents it knew to be over the cap; the size check refuses them.
            if (file.sha256() != null) UploadBlobs.checkHash(file.sha256(), field + ".sha256");
            if (file.size() < 0) throw ApiError.badField(field + ".size", "must be 0 or more");
            if (!names.add(file.name())) throw ApiError.badField(field + ".name", file.name() + " is listed twice");
        }
        return files.stream().map(Objects::requireNonNull).toList();
    }

    private static String trim(String s) {
        return s.length() > FileListMessages.MAX ? s.substring(0, FileListMessages.MAX - 3) + "..." : s;
    }
}
