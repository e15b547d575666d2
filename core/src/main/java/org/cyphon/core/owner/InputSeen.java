package org.cyphon.core.owner;

import java.time.Instant;

/**
 * Keyboard, mouse or touch input: {@code lastInput} is the latest input this source knows of
 * (evdev: the event's time; X11: now minus the server's idle time). Null when the source has seen
 * none since it started.
 */
public record InputSeen(String source, Instant at, Instant lastInput) implements OwnerSignal {}
