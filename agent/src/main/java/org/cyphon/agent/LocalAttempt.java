package org.cyphon.agent;

import java.nio.file.Path;
import org.cyphon.agent.sandbox.JobExit;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.WorkAssignment;

/**
 * One attempt as this agent holds it, from start until the coordinator has taken its report.
 * Mutable, guarded by its own monitor; the agent's threads (work, beat, shipping) share it.
 */
final class LocalAttempt {
    final WorkAssignment work;
    final Path workDir;
    final Path stdout;
    final Path stderr;
    /** Bytes of each stream the coordinator has stored; shipping resumes from here. */
    long stdoutShipped;
    long stderrShipped;
    RunningJob job;
    /** Why the coordinator asked us to stop it; reported as outcome "killed". */
    String stopReason;
    /** Set once the process tree is gone and its output fully shipped; then it only waits to be reported. */
    AttemptReport report;
    /** True once the coordinator refused our output as stale: nothing more to ship. */
    boolean stale;

    LocalAttempt(WorkAssignment work, Path workDir, Path stdout, Path stderr) {
        this.work = work;
        this.workDir = workDir;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    String id() {
        return "j" + work.jobId() + "-a" + work.attempt();
    }

    synchronized boolean finished() {
        return report != null;
    }

    synchronized AttemptReport toReport(JobExit exit) {
        String outcome = stopReason != null ? "killed" : "exited";
        String message = stopReason != null ? stopReason : exit.message();
        return new AttemptReport(work.jobId(), work.attempt(), work.fencingToken(), outcome,
                exit.exitCode(), exit.signal(), exit.cpuSeconds(), message);
    }
}
