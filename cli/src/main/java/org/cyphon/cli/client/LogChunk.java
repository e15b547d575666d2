package org.cyphon.cli.client;

/**
 * One read of a job's output ({@code GET /jobs/{id}/logs}).
 *
 * @param bytes     the bytes from the requested offset
 * @param totalSize how many bytes the coordinator holds for that attempt and stream
 *                  ({@code X-Cyphon-Log-Size}), or -1 when the reply did not say
 * @param jobFinal  the job is terminal, so no more bytes will come ({@code X-Cyphon-Log-Final})
 */
public record LogChunk(byte[] bytes, long totalSize, boolean jobFinal) {}
