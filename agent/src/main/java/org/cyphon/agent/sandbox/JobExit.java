package org.cyphon.agent.sandbox;

/**
 * How a job ended.
 *
 * <p>Exactly one of {@code exitCode} and {@code signal} is set. {@code java.lang.Process} reports
 * death by signal N as status 128+N, like a shell; a status in 129..192 is therefore reported as
 * {@code signal} = status-128, unless the job is known to have exited normally. A job that exits
 * with such a code on purpose (a shell script returning 130) is thus reported as signalled, the
 * same way a shell would show it.
 *
 * @param exitCode   the main process's exit status, or null when it died by a signal
 * @param signal     the signal that killed the main process, or null
 * @param cpuSeconds CPU time of the whole tree (user + system)
 * @param message    why it ended when the job itself did not decide, e.g.
 *                   {@code "killed by the kernel OOM killer: memory limit 512M exceeded"}; else null
 */
public record JobExit(Integer exitCode, Integer signal, double cpuSeconds, String message) {}
