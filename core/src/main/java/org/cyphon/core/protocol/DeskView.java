package org.cyphon.core.protocol;

import java.util.List;

/**
 * What an agent knows of the person at its desk, sent with each heartbeat and shown by
 * {@code cyphon machine NAME}: the fused presence ({@code owner}: present, away or hands_off),
 * idle time, whether new work may start, the reasons for all of it, and each sensor's state.
 */
public record DeskView(
        String owner,
        long idleSeconds,
        boolean mayStart,
        String policy,
        List<String> reasons,
        List<SensorView> sensors) {

    /** One sensor: running or not, and why not. */
    public record SensorView(String name, boolean running, String status) {}
}
