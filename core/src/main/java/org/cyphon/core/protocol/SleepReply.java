package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * The coordinator took a {@link SleepNotice}: the desk counts as asleep from {@code since}, and is
 * woken through the cards it listed. {@code wakeable} is false when none of them may wake it (the
 * desk then stays asleep until its owner wakes it).
 */
public record SleepReply(Instant since, boolean wakeable) {}
