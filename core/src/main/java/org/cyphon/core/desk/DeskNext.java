package org.cyphon.core.desk;

import java.time.Instant;

/**
 * What the desk's controller will do next with no new signal, for the owner's {@code cyphon status}.
 *
 * @param target where it will take the VM; null when nothing is planned
 * @param at     when; null when it depends on the owner (it happens {@code pause_after_idle} after
 *               they leave) or on an administrator (a hold until released)
 * @param words  the whole of it in a sentence: "paused at ... if nobody is here by then"
 */
public record DeskNext(VmTarget target, Instant at, String words) {}
