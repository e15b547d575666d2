/**
 * Checkpoints on the agent's side: the directory a job saves its state in, packing it for the
 * coordinator and restoring it into the job's next attempt, asking the job for a checkpoint, and
 * detecting CRIU.
 *
 * <h2>The protocol a job sees (docs/job-file.md, "Checkpoints")</h2>
 * <ul>
 *   <li>{@code CYPHON_CHECKPOINT_DIR} names an empty directory, or one holding the files its last
 *       attempt left there: the job resumes from them if present.</li>
 *   <li>Before a vacate the job's main process gets {@code checkpoint.signal} (TERM): write the
 *       checkpoint, then exit; after {@code checkpoint.grace} (30 s) it is killed. Files in the
 *       directory are stored either way.</li>
 *   <li>With {@code --checkpoint-every D} it gets {@code checkpoint.periodic_signal} (USR1) every D:
 *       write a checkpoint and carry on. The agent stores the directory once it has changed and
 *       then stayed unchanged for {@code checkpoint.settle}.</li>
 *   <li>Exiting with the job's checkpoint exit code (default 85) after writing a checkpoint
 *       requeues the job from it.</li>
 * </ul>
 *
 * <h2>Wiring (what Agent calls when)</h2>
 * One {@link org.cyphon.agent.checkpoint.CheckpointTransfer} per agent; one
 * {@link org.cyphon.agent.checkpoint.AttemptCheckpoints} per attempt:
 * <ol>
 *   <li>launch, after creating the working directory and before {@code sandbox.start}:
 *       {@code prepare()}, and add what it returns to the job's environment;</li>
 *   <li>every {@code every()} while the job runs (not frozen): {@code askPeriodic}; on SETTLED,
 *       freeze, {@code packIfChanged}, thaw, {@code store};</li>
 *   <li>before a vacate: thaw, {@code askBeforeVacate}, kill, await exit, {@code storeIfChanged},
 *       report {@code vacated} with {@code cpuSecondsSinceCheckpoint(exit.cpuSeconds())};</li>
 *   <li>on exit with {@code isCheckpointExit}: {@code storeIfChanged} before the report;</li>
 *   <li>in every heartbeat and report: {@code cpuSecondsSinceCheckpoint(cpu)}.</li>
 * </ol>
 */
package org.cyphon.agent.checkpoint;
