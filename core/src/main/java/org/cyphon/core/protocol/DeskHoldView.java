package org.cyphon.core.protocol;

import java.time.Instant;

/**
 * An administrator's hold on a desk VM (see core's {@code DeskRule}): the VM stays where their action
 * left it, against the keeper's plan, until released or until {@code until}.
 *
 * @param state  {@code running}, {@code paused} or {@code saved}
 * @param by     who ({@code admin}, or the name a token was minted for)
 * @param action the action that set it
 * @param since  when
 * @param until  when it ends by itself; null: when an administrator releases it
 */
public record DeskHoldView(String state, String by, String action, Instant since, Instant until) {}
