package org.cyphon.core.owner;

import java.time.Instant;

/**
 * A login session (systemd-logind, utmp). {@code kind}: {@code x11}, {@code wayland}, {@code tty},
 * {@code ssh}, {@code rdp}, {@code vnc} or {@code other}. {@code idleSince} is null when the
 * session does not say.
 */
public record SessionInfo(
        String id, String user, String kind, boolean remote, boolean active, boolean idleHint, Instant idleSince) {}
