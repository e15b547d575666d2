package org.cyphon.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.files.WorkDirFiles;
import org.cyphon.core.job.OutputPattern;
import org.cyphon.core.protocol.BlobQuery;
import org.cyphon.core.protocol.BlobQueryReply;
import org.cyphon.core.protocol.OutputFiles;
import org.cyphon.core.protocol.WorkFiles;
import org.cyphon.core.text.Sizes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the files of a job's working directory that match its output patterns to the coordinator:
 * when the job ends, and after each checkpoint it stores (so a vacated job's partial results are
 * kept). Each file is hashed, the coordinator asked which contents it lacks, those uploaded
 * (streamed from the file; an upload cut half-way continues where the coordinator says it stopped),
 * then the whole list recorded as the job's outputs. Outputs over the coordinator's
 * {@code jobs.max_output_bytes} are not sent at all: the list (without contents) goes, so the
 * coordinator refuses it and the job's events say why.
 */
final class ShipOutputs {
    private static final Logger log = LoggerFactory.getLogger(ShipOutputs.class);
    /** Contents per query: well under the coordinator's body limit. */
    static final int QUERY_CHUNK = 2000;

    private final CoordinatorLink link;
    private final Retry retry;

    ShipOutputs(CoordinatorLink link, Retry retry) {
        this.link = link;
        this.retry = retry;
    }

    /**
     * @param moment {@code "exit"} (the job has ended) or {@code "checkpoint"}
     * @return whether the outputs were recorded (false: none asked for, refused, or the agent stops)
     */
    boolean ship(LocalAttempt a, String moment) {
        WorkFiles f = a.work.files();
        if (f == null || f.outputs().isEmpty()) return false;
        long token = a.work.fencingToken();
        String job = "job " + a.work.jobId() + " attempt " + a.work.attempt();
        long started = System.nanoTime();
        try {
            List<OutputPattern> patterns =
                    f.outputs().stream().map(OutputPattern::compile).toList();
            List<WorkDirFiles.Found> found = WorkDirFiles.matching(a.workDir, patterns);
            if (found.size() >= WorkDirFiles.MAX_FILES)
                log.warn("{}: its outputs stop at {} files", job, WorkDirFiles.MAX_FILES);
            long total = found.stream().mapToLong(WorkDirFiles.Found::size).sum();
            if (total > f.maxOutputBytes()) {
                // Not sent; the list alone, so the coordinator records why they are missing.
                List<OutputFiles.File> sizes = found.stream()
                        .map(x -> new OutputFiles.File(x.name(), null, x.size()))
                        .toList();
                try {
                    retry.untilReached("outputs", () -> {
                        link.recordOutputs(token, new OutputFiles(sizes, moment));
                        return null;
                    });
                } catch (CoordinatorRefusedException expected) {
                    log.warn(
                            "{}: outputs ({} files, {}) refused: {}",
                            job,
                            found.size(),
                            Sizes.format(total),
                            expected.getMessage());
                }
                return false;
            }
            List<OutputFiles.File> hashed = new ArrayList<>(found.size());
            for (WorkDirFiles.Found x : found) {
                try (SeekableByteChannel ch = WorkDirFiles.open(a.workDir, x.name())) {
                    hashed.add(hash(x.name(), ch));
                } catch (IOException gone) {
                    log.info("{}: output {} not sent: {}", job, x.name(), gone.getMessage());
                }
            }
            List<OutputFiles.File> sent = upload(a, hashed, job);
            retry.untilReached("outputs", () -> {
                link.recordOutputs(token, new OutputFiles(sent, moment));
                return null;
            });
            log.info(
                    "{}: outputs at {} recorded ({} files, {} in {} ms)",
                    job,
                    moment,
                    sent.size(),
                    Sizes.format(sent.stream().mapToLong(OutputFiles.File::size).sum()),
                    (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (CoordinatorRefusedException e) {
            log.warn("{}: outputs at {} refused: {}", job, moment, e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("{}: outputs at {} not sent: {}", job, moment, e.toString());
        } catch (InterruptedException e) {
            log.warn("{}: outputs at {} not sent: the agent is stopping", job, moment);
        }
        return false;
    }

    /** Uploads the contents the coordinator lacks; returns the files it holds afterwards. */
    private List<OutputFiles.File> upload(LocalAttempt a, List<OutputFiles.File> files, String job)
            throws CoordinatorRefusedException, InterruptedException, IOException {
        long token = a.work.fencingToken();
        Map<String, BlobQueryReply.Missing> missing = new HashMap<>();
        for (int i = 0; i < files.size(); i += QUERY_CHUNK) {
            List<BlobQuery.Blob> ask = files.subList(i, Math.min(files.size(), i + QUERY_CHUNK)).stream()
                    .map(x -> new BlobQuery.Blob(x.sha256(), x.size()))
                    .toList();
            BlobQueryReply reply = retry.untilReached("output query", () -> link.queryBlobs(token, new BlobQuery(ask)));
            for (BlobQueryReply.Missing m : reply.missing()) missing.put(m.sha256(), m);
        }
        List<OutputFiles.File> held = new ArrayList<>(files.size());
        for (OutputFiles.File x : files) {
            if (!missing.containsKey(x.sha256())) {
                held.add(x);
                continue;
            }
            long[] offset = {missing.remove(x.sha256()).offset()};
            boolean[] first = {true};
            try (SeekableByteChannel ch = WorkDirFiles.open(a.workDir, x.name())) {
                retry.untilReached("upload of " + x.name(), () -> {
                    if (!first[0]) {
                        // Cut half-way: continue where the coordinator says it stopped.
                        var again = link.queryBlobs(
                                token, new BlobQuery(List.of(new BlobQuery.Blob(x.sha256(), x.size()))));
                        offset[0] = again.missing().isEmpty()
                                ? x.size()
                                : again.missing().get(0).offset();
                    }
                    first[0] = false;
                    if (offset[0] < x.size() || x.size() == 0)
                        offset[0] = link.uploadBlob(token, x.sha256(), x.size(), offset[0], ch);
                    if (offset[0] < x.size())
                        throw new org.cyphon.agent.client.CoordinatorUnreachableException(
                                x.name() + ": upload stopped at byte " + offset[0], null);
                    return null;
                });
                held.add(x);
            } catch (CoordinatorRefusedException e) {
                if (e.status() == 409) throw e; // the attempt is stale: nothing more to send
                log.warn("{}: output {} not sent: {}", job, x.name(), e.getMessage()); // changed while it was sent
            } catch (IOException gone) {
                log.info("{}: output {} not sent: {}", job, x.name(), gone.getMessage());
            }
        }
        return held;
    }

    private static OutputFiles.File hash(String name, SeekableByteChannel ch) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
        long size = 0;
        for (int n = ch.read(buf); n >= 0; n = ch.read(buf)) {
            buf.flip();
            d.update(buf);
            buf.clear();
            size += n;
        }
        return new OutputFiles.File(name, HexFormat.of().formatHex(d.digest()), size);
    }
}
