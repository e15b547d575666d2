package org.cyphon.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.files.InputCache;
import org.cyphon.agent.files.PlaceInputs;
import org.cyphon.agent.files.SharedStorage;
import org.cyphon.core.protocol.JobFiles;
import org.cyphon.core.protocol.JobOutputs;
import org.cyphon.core.protocol.WorkFiles;
import org.cyphon.core.text.Sizes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of its jobs' files, around each attempt: before it starts, the shared paths it
 * needs checked ({@link SharedStorage}) and its inputs put in place ({@link PlaceInputs}, fetched
 * through the desk's cache; an attempt that resumes from a checkpoint also gets back the outputs
 * stored before); after each checkpoint and when it ends, its outputs sent ({@link ShipOutputs}).
 * Fetches wait out an unreachable coordinator ({@link Retry}) and continue where they stopped.
 */
final class AttemptFiles {
    private static final Logger log = LoggerFactory.getLogger(AttemptFiles.class);
    /** Paths a job's walls hide: a shared path under one must be let through them. */
    private static final List<String> HIDDEN = List.of("/home", "/root");

    private final CoordinatorLink link;
    private final Retry retry;
    private final SharedStorage storage;
    private final PlaceInputs place;
    private final ShipOutputs outputs;

    AttemptFiles(CoordinatorLink link, Retry retry, SharedStorage storage, InputCache cache) {
        this.link = link;
        this.retry = retry;
        this.storage = storage;
        this.place = new PlaceInputs(cache);
        this.outputs = new ShipOutputs(link, retry);
    }

    /** The shared paths mounted here now, for the heartbeat; null when this desk declares none. */
    List<String> sharedPaths() {
        return storage.available();
    }

    /** Why the attempt cannot run on this desk now (a shared path it needs is not mounted), or null. */
    String missingPath(LocalAttempt a) {
        WorkFiles f = a.work.files();
        if (f == null) return null;
        for (String p : f.needsPaths()) {
            String why = storage.why(p);
            if (why != null) return "shared storage " + p + " is not available here: " + why;
        }
        return null;
    }

    /**
     * The shared paths the job needs that its walls would hide (under {@code /home} or {@code /root}):
     * they are let through.
     */
    List<Path> visiblePaths(LocalAttempt a) {
        WorkFiles f = a.work.files();
        if (f == null) return List.of();
        List<Path> out = new ArrayList<>();
        for (String p : f.needsPaths())
            if (HIDDEN.stream().anyMatch(h -> org.cyphon.core.machine.SharedPaths.under(p, h))) out.add(Path.of(p));
        return out;
    }

    /**
     * Puts the attempt's inputs (and, when it resumes from a checkpoint, the outputs stored before)
     * into its working directory.
     *
     * @throws IOException naming what could not be put in place; the attempt then fails to start
     */
    void place(LocalAttempt a) throws IOException {
        WorkFiles f = a.work.files();
        if (f == null) return;
        long token = a.work.fencingToken();
        List<PlaceInputs.File> files = new ArrayList<>();
        for (JobFiles.Input in : f.inputs()) files.add(PlaceInputs.File.of(in));
        try {
            if (f.restoreOutputs()) {
                JobOutputs stored = retry.untilReached("stored outputs", () -> link.storedOutputs(token));
                for (JobOutputs.File o : stored.files())
                    files.add(new PlaceInputs.File(o.name(), o.sha256(), o.size(), false, null));
            }
            if (files.isEmpty()) return;
            long started = System.nanoTime();
            long bytes = place.place(
                    files,
                    f.needsPaths(),
                    a.workDir,
                    (sha, size, part) -> retry.untilReached("input download", () -> {
                        link.downloadBlob(token, sha, size, part);
                        return null;
                    }));
            log.info(
                    "job {} attempt {}: {} input file(s) in place ({} copied in {} ms)",
                    a.work.jobId(),
                    a.work.attempt(),
                    files.size(),
                    Sizes.format(bytes),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw e;
        } catch (CoordinatorRefusedException e) {
            throw new IOException("cannot fetch the job's inputs: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            throw new IOException("agent stopping", e);
        } catch (Exception e) {
            throw new IOException("cannot put the job's inputs in place: " + e, e);
        }
    }

    /** Sends the attempt's outputs; see {@link ShipOutputs#ship}. */
    boolean ship(LocalAttempt a, String moment) {
        return outputs.ship(a, moment);
    }
}
