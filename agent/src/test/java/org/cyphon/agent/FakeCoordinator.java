package org.cyphon.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.ReportResult;
import org.cyphon.core.protocol.WorkReply;

/**
 * The coordinator's side of the agent API as a test scripts it: it records every call, answers
 * heartbeats with the replies the test queued (an empty reply with a 15 s lease otherwise), keeps
 * uploaded output and checkpoints, and serves checkpoints the test put there. Only the link is
 * fake; what the agent does with the answers runs for real.
 */
final class FakeCoordinator implements CoordinatorLink {
    static final Duration LEASE = Duration.ofSeconds(15);

    private final Clock clock;
    private final Path checkpointDir;
    private volatile String machine;
    private final List<EnrollRequest> enrollments = new ArrayList<>();
    private final List<Heartbeat> beats = new ArrayList<>();
    private final Deque<HeartbeatReply> replies = new ArrayDeque<>();
    private final Deque<Exception> heartbeatFailures = new ArrayDeque<>();
    private final List<org.cyphon.core.protocol.AttemptReport> reports = new ArrayList<>();
    private final Map<String, ByteArrayOutputStream> output = new HashMap<>();
    /** Checkpoint archives by fencing token: what the agent uploaded, or what a test offers for download. */
    private final Map<Long, byte[]> checkpoints = new HashMap<>();

    FakeCoordinator(Clock clock, Path checkpointDir) {
        this.clock = clock;
        this.checkpointDir = checkpointDir;
    }

    @Override
    public synchronized EnrollReply enroll(String enrollToken, EnrollRequest request) {
        enrollments.add(request);
        machine = request.name();
        return new EnrollReply(request.name(), "agent-secret", 500, LEASE.toMillis());
    }

    @Override
    public void useCredentials(String machine, String agentToken) {
        this.machine = machine;
    }

    @Override
    public String machine() {
        return machine;
    }

    @Override
    public synchronized HeartbeatReply heartbeat(Heartbeat beat)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        beats.add(beat);
        Exception failure = heartbeatFailures.poll();
        if (failure instanceof CoordinatorUnreachableException u) throw u;
        if (failure instanceof CoordinatorRefusedException r) throw r;
        HeartbeatReply next = replies.poll();
        return next != null
                ? next
                : new HeartbeatReply(List.of(), clock.instant().plus(LEASE), false, null);
    }

    /** Sleep notices the agent sent, in order. */
    private final List<org.cyphon.core.protocol.SleepNotice> sleeps = new ArrayList<>();
    /** Refusals to answer the next sleep notices with, in order. */
    private final Deque<CoordinatorRefusedException> sleepRefusals = new ArrayDeque<>();

    @Override
    public synchronized org.cyphon.core.protocol.SleepReply goingToSleep(org.cyphon.core.protocol.SleepNotice notice)
            throws CoordinatorRefusedException {
        sleeps.add(notice);
        CoordinatorRefusedException refusal = sleepRefusals.poll();
        if (refusal != null) throw refusal;
        return new org.cyphon.core.protocol.SleepReply(
                clock.instant(), notice.interfaces().stream().anyMatch(org.cyphon.core.protocol.NicView::mayWake));
    }

    synchronized List<org.cyphon.core.protocol.SleepNotice> sleeps() {
        return List.copyOf(sleeps);
    }

    /** The next sleep notice is refused with {@code e} (409: the coordinator has work for the desk). */
    synchronized void refuseNextSleep(CoordinatorRefusedException e) {
        sleepRefusals.add(e);
    }

    @Override
    public WorkReply pollWork(Duration wait) {
        return new WorkReply(List.of());
    }

    @Override
    public synchronized void uploadOutput(long fencingToken, String stream, long offset, byte[] bytes) {
        ByteArrayOutputStream held =
                output.computeIfAbsent(fencingToken + "/" + stream, k -> new ByteArrayOutputStream());
        if (offset != held.size())
            throw new IllegalStateException(
                    stream + " of " + fencingToken + " sent at " + offset + ", held " + held.size());
        held.writeBytes(bytes);
    }

    @Override
    public synchronized long uploadCheckpoint(long fencingToken, Path archive) {
        try {
            byte[] bytes = Files.readAllBytes(archive);
            checkpoints.put(fencingToken, bytes);
            return bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized boolean downloadCheckpoint(long fencingToken, Path dest) {
        byte[] bytes = checkpoints.get(fencingToken);
        if (bytes == null) return false;
        try {
            Files.write(dest, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    @Override
    public synchronized ReportReply report(ReportBatch batch) {
        reports.addAll(batch.reports());
        return new ReportReply(batch.reports().stream()
                .map(r -> new ReportResult(r.jobId(), r.attempt(), true, null))
                .toList());
    }

    /** File contents by SHA-256: what the agent uploaded, or what a test offers as inputs. */
    private final Map<String, byte[]> blobs = new HashMap<>();
    /** Output records, in order. */
    private final List<org.cyphon.core.protocol.OutputFiles> outputs = new ArrayList<>();
    /** Stored outputs a resumed attempt gets back, by fencing token. */
    private final Map<Long, org.cyphon.core.protocol.JobOutputs> storedOutputs = new HashMap<>();

    @Override
    public synchronized org.cyphon.core.protocol.BlobQueryReply queryBlobs(
            long fencingToken, org.cyphon.core.protocol.BlobQuery query) {
        return new org.cyphon.core.protocol.BlobQueryReply(
                query.blobs().stream()
                        .filter(b -> !blobs.containsKey(b.sha256()))
                        .map(b -> new org.cyphon.core.protocol.BlobQueryReply.Missing(b.sha256(), b.size(), 0))
                        .toList(),
                Long.MAX_VALUE);
    }

    @Override
    public synchronized long uploadBlob(
            long fencingToken, String sha256, long size, long offset, java.nio.channels.SeekableByteChannel from) {
        try {
            from.position(0);
            java.nio.ByteBuffer all = java.nio.ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && from.read(all) >= 0) {}
            blobs.put(sha256, all.array());
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void downloadBlob(long fencingToken, String sha256, long size, Path part)
            throws CoordinatorRefusedException {
        byte[] b = blobs.get(sha256);
        if (b == null) throw new CoordinatorRefusedException(404, "no such content " + sha256, null);
        try {
            Files.write(part, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void recordOutputs(long fencingToken, org.cyphon.core.protocol.OutputFiles files) {
        outputs.add(files);
    }

    @Override
    public synchronized org.cyphon.core.protocol.JobOutputs storedOutputs(long fencingToken) {
        return storedOutputs.getOrDefault(
                fencingToken, new org.cyphon.core.protocol.JobOutputs(0, List.of(), 0, null, null));
    }

    synchronized void offerBlob(String sha256, byte[] content) {
        blobs.put(sha256, content.clone());
    }

    synchronized byte[] blob(String sha256) {
        return blobs.get(sha256);
    }

    synchronized List<org.cyphon.core.protocol.OutputFiles> outputRecords() {
        return List.copyOf(outputs);
    }

    // ---- what the test scripts and reads ----

    synchronized void replyNext(HeartbeatReply reply) {
        replies.add(reply);
    }

    synchronized void failNextHeartbeat(Exception e) {
        heartbeatFailures.add(e);
    }

    synchronized void offerCheckpoint(long fencingToken, Path archive) throws IOException {
        checkpoints.put(fencingToken, Files.readAllBytes(archive));
    }

    /** The archive the agent uploaded for an attempt, as it came; null if none. */
    synchronized byte[] uploadedArchive(long fencingToken) {
        return checkpoints.get(fencingToken);
    }

    /** The checkpoint the agent uploaded for an attempt, unpacked into a fresh directory; null if none. */
    synchronized Path uploadedCheckpoint(long fencingToken) throws IOException {
        byte[] bytes = checkpoints.get(fencingToken);
        if (bytes == null) return null;
        Path archive = Files.createTempFile(checkpointDir, "uploaded-", ".tar");
        Files.write(archive, bytes);
        Path dir = Files.createTempDirectory(checkpointDir, "unpacked-");
        org.cyphon.agent.checkpoint.CheckpointArchive.unpack(archive, dir, 1 << 20);
        return dir;
    }

    synchronized List<EnrollRequest> enrollments() {
        return List.copyOf(enrollments);
    }

    synchronized List<Heartbeat> beats() {
        return List.copyOf(beats);
    }

    synchronized Heartbeat lastBeat() {
        return beats.getLast();
    }

    synchronized List<org.cyphon.core.protocol.AttemptReport> reports() {
        return List.copyOf(reports);
    }

    synchronized String output(long fencingToken, String stream) {
        ByteArrayOutputStream held = output.get(fencingToken + "/" + stream);
        return held == null ? "" : held.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
