package org.cyphon.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The files a job comes with and leaves behind ({@code cyphon submit --input --output
 * --needs-path}, a job file's {@code [files]}, HTCondor's {@code transfer_input_files} and
 * {@code transfer_output_files}).
 *
 * @param inputs     files put into the job's working directory before it starts: each an upload
 *                   the coordinator holds (by SHA-256), or a link to a path on shared storage
 * @param outputs    patterns, relative to the working directory, of the files to keep when the job
 *                   ends and with every checkpoint ({@code *.csv}, {@code results/}, {@code out/**})
 * @param needsPaths shared storage paths ({@code [storage] shared} on the desks) the job uses
 *                   directly: it runs only on desks that have them mounted
 */
public record JobFiles(List<Input> inputs, List<String> outputs, List<String> needsPaths) {
    public static final JobFiles NONE = new JobFiles(List.of(), List.of(), List.of());

    public JobFiles {
        // Copied keeping nulls, so validation can name a null entry instead of a bare parse failure.
        inputs = inputs == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(inputs));
        outputs = outputs == null
                ? List.of()
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(outputs));
        needsPaths = needsPaths == null
                ? List.of()
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(needsPaths));
    }

    /**
     * One input file.
     *
     * @param name       where it goes, relative to the working directory ({@code data/a.csv})
     * @param sha256     the content's SHA-256, lower-case hex, as uploaded; null for a link
     * @param size       its size in bytes (for a link: as the submitter saw it, or -1)
     * @param executable whether the job may run it (mode 0755 rather than 0644)
     * @param link       for a file on shared storage: its absolute path there, linked into the
     *                   working directory instead of sent; null for an upload
     */
    public record Input(String name, String sha256, long size, boolean executable, String link) {
        /** An uploaded file. */
        public static Input upload(String name, String sha256, long size, boolean executable) {
            return new Input(name, sha256, size, executable, null);
        }

        /** A file on shared storage. */
        public static Input link(String name, String path, long size) {
            return new Input(name, null, size, false, path);
        }
    }

    @JsonIgnore
    public boolean isEmpty() {
        return inputs.isEmpty() && outputs.isEmpty() && needsPaths.isEmpty();
    }

    /** Bytes of the uploaded inputs (links cost the coordinator nothing). */
    public long uploadedBytes() {
        long n = 0;
        for (Input i : inputs) if (i != null && i.link() == null) n += Math.max(0, i.size());
        return n;
    }
}
