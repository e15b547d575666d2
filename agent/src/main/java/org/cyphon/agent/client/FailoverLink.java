package org.cyphon.agent.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.cyphon.core.protocol.BlobQuery;
import org.cyphon.core.protocol.BlobQueryReply;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.JobOutputs;
import org.cyphon.core.protocol.OutputFiles;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.WorkReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool served by several coordinators on one database: every call goes to the coordinator in
 * use, and when that one is unreachable, to the next in the configured order at once (each tried
 * once per call), which stays in use from then on. Every coordinator answers every call, so moving
 * loses nothing: the calls repeated on another are the idempotent ones (a report is keyed by its
 * attempt's fencing token, an output chunk by its offset, a heartbeat and a poll change nothing
 * twice). A blob upload streams from a channel that cannot be rewound: it moves on without a
 * retry, and its caller asks the next coordinator where to continue, as after any cut.
 *
 * <p>A refusal (4xx) is an answer, not a failure: it is never retried elsewhere.
 */
public final class FailoverLink implements CoordinatorLink {
    private static final Logger log = LoggerFactory.getLogger(FailoverLink.class);

    private final List<? extends CoordinatorLink> links;
    private final List<String> names;
    private final AtomicInteger current = new AtomicInteger();

    /** @param names each link's coordinator URL, for the log */
    public FailoverLink(List<? extends CoordinatorLink> links, List<String> names) {
        if (links.isEmpty()) throw new IllegalArgumentException("no coordinator to talk to");
        if (links.size() != names.size()) throw new IllegalArgumentException("one name per coordinator");
        this.links = List.copyOf(links);
        this.names = List.copyOf(names);
    }

    private interface Call<T> {
        T on(CoordinatorLink link) throws CoordinatorUnreachableException, CoordinatorRefusedException;
    }

    private <T> T call(Call<T> call, boolean elsewhereToo)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        int tries = elsewhereToo ? links.size() : 1;
        CoordinatorUnreachableException last = null;
        for (int i = 0; i < tries; i++) {
            int at = current.get();
            try {
                return call.on(links.get(at));
            } catch (CoordinatorUnreachableException e) {
                last = e;
                moveOn(at, e);
            }
        }
        throw last;
    }

    /** The coordinator at {@code from} failed: use the next one, unless another call moved on already. */
    private void moveOn(int from, CoordinatorUnreachableException why) {
        if (links.size() == 1) return;
        int next = (from + 1) % links.size();
        if (current.compareAndSet(from, next))
            log.warn(
                    "coordinator {} unreachable ({}): moving to {}",
                    names.get(from),
                    why.getMessage(),
                    names.get(next));
    }

    /** The URL of the coordinator in use now. */
    public String inUse() {
        return names.get(current.get());
    }

    @Override
    public EnrollReply enroll(String enrollToken, EnrollRequest request)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        EnrollReply r = call(l -> l.enroll(enrollToken, request), true);
        useCredentials(r.machine(), r.agentToken());
        return r;
    }

    @Override
    public void useCredentials(String machine, String agentToken) {
        for (CoordinatorLink l : links) l.useCredentials(machine, agentToken);
    }

    @Override
    public String machine() {
        return links.get(current.get()).machine();
    }

    @Override
    public HeartbeatReply heartbeat(Heartbeat beat)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return call(l -> l.heartbeat(beat), true);
    }

    @Override
    public WorkReply pollWork(Duration wait) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return call(l -> l.pollWork(wait), true);
    }

    @Override
    public void uploadOutput(long fencingToken, String stream, long offset, byte[] bytes)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        call(
                l -> {
                    l.uploadOutput(fencingToken, stream, offset, bytes);
                    return null;
                },
                true);
    }

    @Override
    public long uploadCheckpoint(long fencingToken, Path archive)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return call(l -> l.uploadCheckpoint(fencingToken, archive), true);
    }

    @Override
    public boolean downloadCheckpoint(long fencingToken, Path dest)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return call(l -> l.downloadCheckpoint(fencingToken, dest), true);
    }

    @Override
    public ReportReply report(ReportBatch batch) throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return call(l -> l.report(batch), true);
    }

    @Override
    public BlobQueryReply queryBlobs(long fencingToken, BlobQuery query)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return call(l -> l.queryBlobs(fencingToken, query), true);
    }

    @Override
    public long uploadBlob(
            long fencingToken, String sha256, long size, long offset, java.nio.channels.SeekableByteChannel from)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return call(l -> l.uploadBlob(fencingToken, sha256, size, offset, from), false);
    }

    @Override
    public void downloadBlob(long fencingToken, String sha256, long size, Path part)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        // Appends from the part's current size: a second coordinator continues where the first stopped.
        call(
                l -> {
                    l.downloadBlob(fencingToken, sha256, size, part);
                    return null;
                },
                true);
    }

    @Override
    public void recordOutputs(long fencingToken, OutputFiles files)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        call(
                l -> {
                    l.recordOutputs(fencingToken, files);
                    return null;
                },
                true);
    }

    @Override
    public JobOutputs storedOutputs(long fencingToken)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return call(l -> l.storedOutputs(fencingToken), true);
    }

    /** A desk going to sleep tells whichever coordinator answers; saying it twice changes nothing. */
    @Override
    public org.cyphon.core.protocol.SleepReply goingToSleep(org.cyphon.core.protocol.SleepNotice notice)
            throws CoordinatorUnreachableException, CoordinatorRefusedException {
        return call(l -> l.goingToSleep(notice), true);
    }
}
