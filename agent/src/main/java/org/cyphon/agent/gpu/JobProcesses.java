package org.cyphon.agent.gpu;

/** Tells the jobs' own processes from everyone else's, so their GPU use is not taken for the owner's. */
@FunctionalInterface
public interface JobProcesses {
    /** Whether the process belongs to one of the jobs this agent runs now. */
    boolean isJobs(long pid);

    /** No process is a job's: every GPU use is the owner's. */
    JobProcesses NONE = pid -> false;
}
