package org.cyphon.agent.client;

import java.nio.file.Path;
import java.time.Duration;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.WorkReply;

/**
 * Every call the agent makes to the coordinator (docs/api.md, "Agents"); {@link CoordinatorClient}
 * makes them over HTTP. Implementations are thread-safe. Each call fails in one of two ways the
 * agent treats differently: {@link CoordinatorUnreachableException} (retry later, keep the jobs
 * running) and {@link CoordinatorRefusedException} (a 4xx: the request or our credentials are wrong).
 */
public interface CoordinatorLink {

    /** Joins the pool with the enrollment token; from then on the link uses the credentials of the reply. */
    EnrollReply enroll(String enrollToken, EnrollRequest request)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /** Uses credentials kept from an earlier enrollment. */
    void useCredentials(String machine, String agentToken);

    /** The machine name the link speaks for; null before enrollment. */
    String machine();

    HeartbeatReply heartbeat(Heartbeat beat) throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /** Long poll: returns as soon as work is assigned, or empty after about {@code wait}. */
    WorkReply pollWork(Duration wait) throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /** Stores {@code bytes} at {@code offset} of an attempt's output stream; idempotent. */
    void uploadOutput(long fencingToken, String stream, long offset, byte[] bytes)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /**
     * Stores the archive as the attempt's job's checkpoint.
     *
     * @return bytes the coordinator stored
     */
    long uploadCheckpoint(long fencingToken, Path archive)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /**
     * Fetches the job's latest checkpoint into {@code dest}.
     *
     * @return false ({@code dest} untouched) when there is none
     */
    boolean downloadCheckpoint(long fencingToken, Path dest)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;

    ReportReply report(ReportBatch batch) throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /** Which of its job's output contents the coordinator lacks, and from which byte each continues. */
    org.cyphon.core.protocol.BlobQueryReply queryBlobs(long fencingToken, org.cyphon.core.protocol.BlobQuery query)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /**
     * Uploads the content in {@code from} (a file of {@code size} bytes) from byte {@code offset} on,
     * streamed, as an output of the attempt's job.
     *
     * @return the bytes the coordinator holds of it now ({@code size}: complete and checked)
     * @throws CoordinatorUnreachableException the connection was cut: ask where to continue, and do
     */
    long uploadBlob(
            long fencingToken, String sha256, long size, long offset, java.nio.channels.SeekableByteChannel from)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /**
     * Downloads the content (an input of the attempt's job, or an output it resumes with) into
     * {@code part}, appending from the part's current size (a download cut half-way continues where
     * it stopped) until it holds {@code size} bytes.
     *
     * @throws CoordinatorUnreachableException the connection was cut: what arrived stays in {@code part}
     */
    void downloadBlob(long fencingToken, String sha256, long size, Path part)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /** Records the files matching the job's output patterns, each content already uploaded. */
    void recordOutputs(long fencingToken, org.cyphon.core.protocol.OutputFiles files)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /** The outputs the job's earlier attempts stored, for an attempt that resumes from a checkpoint. */
    org.cyphon.core.protocol.JobOutputs storedOutputs(long fencingToken)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;

    /**
     * Tells the coordinator the desk is going to sleep, and how to wake it. Refused (409) while the
     * coordinator has work on the desk or on its way: then the desk stays awake.
     */
    org.cyphon.core.protocol.SleepReply goingToSleep(org.cyphon.core.protocol.SleepNotice notice)
            throws CoordinatorUnreachableException, CoordinatorRefusedException;
}
