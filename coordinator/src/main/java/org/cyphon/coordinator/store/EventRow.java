package org.cyphon.coordinator.store;

/**
 * One entry of a job's history. {@code type} is one of submitted, assigned, suspended, resumed,
 * exited, checkpointed (exited with its checkpoint exit code: requeued), lost, vacated, cancelled,
 * held, released, failed.
 */
public record EventRow(long jobId, long at, String type, Integer attemptNo, String machine, String message) {}
