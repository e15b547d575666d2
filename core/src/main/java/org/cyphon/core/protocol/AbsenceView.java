package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * A desk's owner away for longer than a day's rhythm ({@code MachineView.absence}).
 *
 * @param kind   {@code declared} ({@code cyphon away}) or {@code detected} (away longer than the
 *               profile's absence threshold)
 * @param until  when a declared absence ends; null for a detected one (it lasts until the owner is seen)
 * @param by     who declared it; null when detected
 * @param reason the declarer's words; may be null
 */
public record AbsenceView(String kind, Instant since, Instant until, String by, String reason) {}
