package org.cyphon.agent.sensors;

/**
 * One sensor as {@code cyphon machine NAME} shows it.
 *
 * @param name    the sensor's {@link Sensor#name()}
 * @param running whether it started and is observing
 * @param status  "ok", or why it is off, unavailable or degraded
 */
public record SensorState(String name, boolean running, String status) {}
