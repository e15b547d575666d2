package org.cyphon.coordinator.store;

/**
 * The checkpoint the coordinator keeps for a job: which attempt stored it, the archive's file name
 * under {@code checkpoints/<jobId>/}, its size, and when (epoch milliseconds).
 */
public record CheckpointRow(
        long jobId, long fencingToken, int attemptNo, String fileName, long sizeBytes, long storedAt) {}
