package org.cyphon.coordinator.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /agents/{m}/attempts/{token}/output/{stream}?offset=N}: stores a chunk of an
 * attempt's stdout or stderr. Only for a live attempt on that machine (409 otherwise: the agent
 * ships output before it reports the end). Past {@code max_log_bytes} bytes are dropped and the
 * attempt is marked truncated.
 */
public final class UploadOutput {
    private static final Logger log = LoggerFactory.getLogger(UploadOutput.class);

    private final Database db;
    private final OutputFiles files;
    private final Clock clock;

    public UploadOutput(Database db, OutputFiles files, Clock clock) {
        this.db = db;
        this.files = files;
        this.clock = clock;
    }

    /** @return bytes now stored for the stream */
    public long upload(String machine, long token, String stream, long offset, byte[] bytes) {
        AttemptRow a = db.transactions().read(c -> AttemptTable.byToken(c, token));
        if (a == null || !a.machine().equals(machine) || !a.live()) {
            throw new ApiError(
                    409,
                    "stale attempt: fencing token " + token + " is not a live attempt on " + machine,
                    "fencingToken");
        }
        OutputFiles.Written w;
        try {
            w = files.write(a.jobId(), a.attemptNo(), stream, offset, bytes);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField("offset", e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean already = stream.equals("stderr") ? a.stderrTruncated() : a.stdoutTruncated();
        if (w.truncated() && !already) {
            // An event too, so `cyphon job ID` says output was dropped (once per stream and attempt:
            // concurrent uploads past the cap race to mark it, and only the one that marks records it).
            long now = clock.millis();
            db.transactions().write(c -> {
                if (AttemptTable.markTruncated(c, token, stream))
                    EventTable.insert(
                            c,
                            List.of(new EventRow(
                                    a.jobId(),
                                    now,
                                    "output_truncated",
                                    a.attemptNo(),
                                    machine,
                                    stream + " beyond jobs.max_log_bytes (" + files.maxBytes()
                                            + " bytes) was dropped")));
                return null;
            });
            log.info(
                    "job {} attempt {} machine {}: {} truncated at {} bytes",
                    a.jobId(),
                    a.attemptNo(),
                    machine,
                    stream,
                    files.maxBytes());
        }
        return w.stored();
    }
}
