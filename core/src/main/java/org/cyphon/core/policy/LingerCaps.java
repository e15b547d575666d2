package org.cyphon.core.policy;

/**
 * Limits for work lingering beside a present owner, on top of idle CPU priority and idle I/O class.
 *
 * @param memoryFraction   all lingering jobs together may hold at most this fraction of the machine's memory
 * @param ioBytesPerSecond their I/O is throttled to this many bytes per second; 0 means no cap
 */
public record LingerCaps(double memoryFraction, long ioBytesPerSecond) {}
