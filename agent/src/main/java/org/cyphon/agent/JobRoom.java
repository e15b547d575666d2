package org.cyphon.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.sandbox.JobAccounts;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.agent.sandbox.Sandbox;
import org.cyphon.core.protocol.WallView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each heartbeat says of this desk's room for jobs, so placement respects it: how many jobs
 * it runs at once ({@code sandbox.max_jobs}), how much disk is free for their work directories,
 * and every wall it builds around them.
 */
final class JobRoom {
    private static final Logger log = LoggerFactory.getLogger(JobRoom.class);

    private final AgentConfig config;
    private final HeldAttempts attempts;
    private final List<WallView> walls;

    JobRoom(AgentConfig config, Sandbox sandbox, JobAccounts accounts, HeldAttempts attempts) {
        this.config = config;
        this.attempts = attempts;
        List<WallView> all = new ArrayList<>(sandbox.walls());
        all.add(JobAccounts.wall(accounts, config.jobUser()));
        all.add(WallView.built(
                WallView.MAX_JOBS, "at most " + config.sandbox().maxJobs() + " jobs at once (sandbox.max_jobs)"));
        this.walls = List.copyOf(all);
    }

    int maxJobs() {
        return config.sandbox().maxJobs();
    }

    List<WallView> walls() {
        return walls;
    }

    /**
     * The file system's free space where work directories are made, plus what running jobs with a
     * {@code --disk} request have written there: the coordinator reserves each such request whole
     * for as long as its attempt lives, so what they wrote must not be taken off twice. Null when
     * the space cannot be read.
     */
    Long diskFreeBytes() {
        Path work = config.stateDir().resolve("work");
        long usable;
        try {
            usable = Files.getFileStore(Files.isDirectory(work) ? work : config.stateDir())
                    .getUsableSpace();
        } catch (IOException e) {
            log.debug("cannot read the free space of {}: {}", work, e.toString());
            return null;
        }
        return usable + writtenByDiskJobs();
    }

    /** What the running jobs with a {@code --disk} request hold, each counted up to its request. */
    long writtenByDiskJobs() {
        long written = 0;
        for (LocalAttempt a : attempts.all()) {
            Long asked = a.work.diskBytes();
            RunningJob job = a.job();
            if (asked == null || job == null) continue;
            written += Math.min(asked, job.diskBytesUsed());
        }
        return written;
    }
}
