package org.cyphon.coordinator.power;

import java.time.Duration;
import java.util.List;

/**
 * {@code [power]} in coordinator.toml: how the coordinator wakes sleeping desks by Wake-on-LAN.
 *
 * @param maxAwake      wake-ups sent for queued work in any hour, for the whole pool (a sliding
 *                      hour); 0: never wake a desk for work (admins still may)
 * @param wakePort      the UDP port magic packets are sent to (9, "discard", by convention)
 * @param wakeBroadcast where to send every magic packet instead of the broadcast addresses desks
 *                      report (their subnets' own): a directed broadcast of a desk subnet a router
 *                      forwards, or a relay; empty: what each desk reported
 * @param wakeAfter     a queued job wakes a desk only once it has waited this long with no awake
 *                      desk taking it (an attempt about to end would take it without a wake-up)
 * @param wakeTimeout   a desk that does not answer a wake-up within this long is not woken for work
 *                      again until it is heard from (its card may not wake; the desk may be off)
 */
public record PowerSettings(
        int maxAwake, int wakePort, List<String> wakeBroadcast, Duration wakeAfter, Duration wakeTimeout) {
    public static final int DEFAULT_MAX_AWAKE = 20;
    public static final Duration DEFAULT_WAKE_AFTER = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WAKE_TIMEOUT = Duration.ofMinutes(5);

    public static final PowerSettings DEFAULT = new PowerSettings(
            DEFAULT_MAX_AWAKE,
            org.cyphon.core.power.MagicPacket.PORT,
            List.of(),
            DEFAULT_WAKE_AFTER,
            DEFAULT_WAKE_TIMEOUT);

    public PowerSettings {
        if (maxAwake < 0 || maxAwake > 100_000)
            throw new IllegalArgumentException("power.max_awake: must be between 0 and 100000, got " + maxAwake);
        if (wakePort < 1 || wakePort > 65535)
            throw new IllegalArgumentException("power.wake_port: must be between 1 and 65535, got " + wakePort);
        wakeBroadcast = wakeBroadcast == null ? List.of() : List.copyOf(wakeBroadcast);
        for (String a : wakeBroadcast) {
            if (!Ipv4.isLiteral(a))
                throw new IllegalArgumentException(
                        "power.wake_broadcast: '" + a + "' is not an IPv4 address (e.g. 10.1.2.255)");
        }
        if (wakeAfter == null) wakeAfter = DEFAULT_WAKE_AFTER;
        if (wakeAfter.isNegative() || wakeAfter.compareTo(Duration.ofHours(1)) > 0)
            throw new IllegalArgumentException("power.wake_after: must be between 0s and 1h, got " + wakeAfter);
        if (wakeTimeout == null) wakeTimeout = DEFAULT_WAKE_TIMEOUT;
        if (wakeTimeout.compareTo(Duration.ofSeconds(10)) < 0 || wakeTimeout.compareTo(Duration.ofDays(1)) > 0)
            throw new IllegalArgumentException("power.wake_timeout: must be between 10s and 1d, got " + wakeTimeout);
    }
}
